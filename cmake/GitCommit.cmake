# Run at every build: writes the current git commit, and whether the tree had uncommitted changes
# ("committed", "modified" or "unknown" outside a git checkout), into ${OUT} when they changed, so
# that `l2aug --version` and result files name the exact source they were built from.
execute_process(COMMAND git rev-parse --short=12 HEAD WORKING_DIRECTORY ${SRC}
                OUTPUT_VARIABLE commit OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE rc)
set(tree "unknown")
if(NOT rc EQUAL 0 OR commit STREQUAL "")
  set(commit "unknown")
else()
  set(tree "committed")
  execute_process(COMMAND git status --porcelain --untracked-files=no WORKING_DIRECTORY ${SRC}
                  OUTPUT_VARIABLE dirty OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  if(NOT dirty STREQUAL "")
    set(commit "${commit}-dirty")
    set(tree "modified")
  endif()
endif()
set(content "#pragma once\n#define L2_GIT_COMMIT \"${commit}\"\n#define L2_GIT_TREE \"${tree}\"\n")
if(EXISTS ${OUT})
  file(READ ${OUT} old)
endif()
if(NOT old STREQUAL content)
  file(WRITE ${OUT} "${content}")
endif()
