// `l2aug recommend`: the top-K items a trained model recommends for a known user (from the
// history stored in the model file) or for a history given as raw item ids.
#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include "l2aug/app/cli.h"
#include "l2aug/app/commands/commands.h"
#include "recsys/models/model_file.h"
#include "tensor/kernels/topk.h"

namespace l2::app::commands {

int recommend(int argc, const char* const* argv, int first) {
  Command cmd("recommend", "Print the top-K raw item ids a trained model recommends, with their scores.");
  cmd.option("checkpoint", "FILE", "a model file written by train (best.ckpt)")
      .option("user", "ID", "a raw user id of the data the model was trained on (its whole history is used)")
      .option("history", "ID,ID,...", "a history of raw item ids, oldest first")
      .option("k", "K", "how many items (also -k)", "10")
      .flag("exclude-history", "do not recommend items of the history");
  std::vector<const char*> av(argv, argv + argc);
  for (auto& a : av)
    if (std::string(a) == "-k") a = "--k";
  const Args args = cmd.parse(int(av.size()), av.data(), first);
  if (args.help_requested) {
    std::fputs(cmd.help().c_str(), stdout);
    return 0;
  }
  if (args.has("user") == args.has("history")) throw UsageError("recommend: give either --user ID or --history IDS");
  const auto k = args.get_int("k");
  if (k < 1) throw UsageError("--k: expected a positive count");
  const recsys::LoadedModel loaded = recsys::load_model(args.get("checkpoint"));
  std::vector<std::int32_t> history;
  if (args.has("user")) {
    history = recsys::user_history(loaded, args.get("user"));
  } else {
    std::vector<std::string> raw;
    std::stringstream in(args.get("history"));
    std::string id;
    while (std::getline(in, id, ',')) raw.push_back(id);
    history = recsys::item_ids(loaded, raw);
  }
  L2_CHECK(!history.empty(), "recommend: the history is empty");
  const std::int64_t maxlen = loaded.model->config().maxlen;
  const std::int64_t n = std::min<std::int64_t>(maxlen, std::int64_t(history.size()));
  IndexTensor items = IndexTensor::empty(Shape{1, n}), positions = IndexTensor::empty(Shape{1, n});
  for (std::int64_t t = 0; t < n; ++t) {
    items[t] = history[history.size() - size_t(n) + size_t(t)];
    positions[t] = std::int32_t(maxlen - n + t);
  }
  loaded.model->eval();
  Tensor scores = loaded.model->score_all_last(items, positions);
  const std::int64_t V = scores.dim(1) - 1;
  scores[0] = -INFINITY;  // padding is never a recommendation
  if (args.flag("exclude-history"))
    for (std::int32_t i : history) scores[i] = -INFINITY;
  const std::int64_t K = std::min<std::int64_t>(k, V);
  std::vector<std::int32_t> idx(static_cast<size_t>(K));
  std::vector<float> val(static_cast<size_t>(K));
  kernels::topk_rows(idx.data(), val.data(), scores.data(), 1, V + 1, K);
  std::printf("rank\titem\tscore\n");
  for (std::int64_t r = 0; r < K; ++r)
    std::printf("%lld\t%s\t%.6f\n", (long long)r + 1, recsys::item_name(loaded, idx[size_t(r)]).c_str(), val[size_t(r)]);
  return 0;
}

}  // namespace l2::app::commands
