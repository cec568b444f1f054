// `l2aug report DIR [DIR ...]`: the report of an experiment (l2aug/app/report/report.h); several folders (the
// shards of one grid) are merged into the first.
#include <cstdio>

#include "l2aug/app/cli.h"
#include "l2aug/app/commands/commands.h"
#include "l2aug/app/report/report.h"

namespace l2::app::commands {

int report(int argc, const char* const* argv, int first) {
  Command cmd("report", "Write report.md, report.html, report.json and figures/*.svg for an experiment folder "
                             "(merging the folders of its shards into the first).");
  cmd.positional("dir", "experiment folder(s) written by 'l2aug experiment'").variadic();
  const Args args = cmd.parse(argc, argv, first);
  if (args.help_requested) {
    std::fputs(cmd.help().c_str(), stdout);
    return 0;
  }
  std::vector<std::filesystem::path> dirs(args.positionals().begin(), args.positionals().end());
  const ReportSummary r = write_report(dirs);
  std::fputs(r.table.c_str(), stdout);
  std::printf("%d cells (%d unfinished)\nreport: %s\n        %s\n", r.cells, r.unfinished, r.markdown.c_str(), r.html.c_str());
  return 0;
}

}  // namespace l2::app::commands
