# run_plot.cmake: one harness-plot test, run by ctest as `cmake -D... -P`.
#
#   PLOT, PNG_CHECK, MARKUP_CHECK  the programs
#   FIXTURE          the results file given to harness-plot
#   WORK             a scratch directory, emptied first
#   EXIT             the exit status expected (0, 1 or 2)
#   OUTPUTS          names expected in the output directory, "a|b": each
#                    a.png must be a valid PNG, a.svg a well-formed SVG and
#                    a.dat non-empty
#   EXPECT           optional file of lines that must each appear verbatim
#                    in the tables (EXIT 0) or in stderr (otherwise)
#   DEFAULT_DIR      ON: no -d; the output directory must be the default
#   PLOT_DIR         optional HARNESS_PLOT_DIR for harness-plot
#   POINT            optional -p POINT for harness-plot
#   STALE            optional "a.png|b.dat": files put in the output directory
#                    before harness-plot runs, as plots of an earlier results
#                    file; each must be gone afterwards
#   KEPT             optional "x.png|y.txt": files put there too that are
#                    named like no plot output; each must be left alone
#
# With EXIT 2 nothing may be written: the output directory must not exist;
# with EXIT 1 no PNG (and no temporary file) may be left.
cmake_minimum_required(VERSION 3.16)

file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
get_filename_component(stem "${FIXTURE}" NAME_WE)
if(DEFAULT_DIR)
  # harness-plot derives results/x.json -> results/x/: copy the fixture in.
  file(COPY "${FIXTURE}" DESTINATION "${WORK}")
  set(input "${WORK}/${stem}.json")
  set(outdir "${WORK}/${stem}")
  set(args "${input}")
else()
  set(input "${FIXTURE}")
  set(outdir "${WORK}/out")
  set(args "${input}" -d "${outdir}")
endif()
if(DEFINED POINT)
  list(APPEND args -p "${POINT}")
endif()
if(DEFINED PLOT_DIR)
  set(ENV{HARNESS_PLOT_DIR} "${PLOT_DIR}")
endif()

string(REPLACE "|" ";" stale "${STALE}")
string(REPLACE "|" ";" kept "${KEPT}")
foreach(name IN LISTS stale kept)
  file(WRITE "${outdir}/${name}" "left by an earlier run\n")
endforeach()

execute_process(COMMAND "${PLOT}" ${args}
                RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
string(JOIN " " shown ${args})
message("harness-plot ${shown}: exit ${status}\n${err}")
if(NOT status STREQUAL "${EXIT}")
  message(FATAL_ERROR "expected exit status ${EXIT}, got ${status}")
endif()

set(haystack "")
if(EXIT STREQUAL "0")
  string(REPLACE "|" ";" outputs "${OUTPUTS}")
  foreach(name IN LISTS outputs)
    set(dat "${outdir}/${name}.dat")
    if(NOT EXISTS "${dat}")
      message(FATAL_ERROR "${dat} was not written")
    endif()
    file(SIZE "${dat}" size)
    if(size EQUAL 0)
      message(FATAL_ERROR "${dat} is empty")
    endif()
    file(READ "${dat}" table)
    string(APPEND haystack "${table}")
    execute_process(COMMAND "${PNG_CHECK}" "${outdir}/${name}.png" RESULT_VARIABLE png_status)
    if(NOT png_status EQUAL 0)
      message(FATAL_ERROR "${outdir}/${name}.png is not a valid PNG")
    endif()
    execute_process(COMMAND "${MARKUP_CHECK}" --svg "${outdir}/${name}.svg"
                    RESULT_VARIABLE svg_status)
    if(NOT svg_status EQUAL 0)
      message(FATAL_ERROR "${outdir}/${name}.svg is not a well-formed SVG")
    endif()
    if(NOT err MATCHES "wrote ${outdir}/${name}.png")
      message(FATAL_ERROR "no 'wrote ${outdir}/${name}.png' line on stderr")
    endif()
  endforeach()
  # The pictures are renamed into place: no temporary file may be left over.
  file(GLOB leftovers "${outdir}/.*tmp" "${outdir}/*.tmp" "${outdir}/.*.tmp.*")
  if(leftovers)
    message(FATAL_ERROR "temporary files left: ${leftovers}")
  endif()
else()
  set(haystack "${err}")
  if(EXIT STREQUAL "2" AND EXISTS "${outdir}")
    message(FATAL_ERROR "an invalid results file must write nothing, but ${outdir} exists")
  endif()
  # A failed plot leaves no picture, not even a temporary one.
  file(GLOB pictures "${outdir}/*.png" "${outdir}/*.svg" "${outdir}/.*tmp")
  if(pictures)
    message(FATAL_ERROR "a failed plot left files behind: ${pictures}")
  endif()
endif()

foreach(name IN LISTS stale)
  if(EXISTS "${outdir}/${name}")
    message(FATAL_ERROR "${outdir}/${name} is not a plot of these results and was not removed")
  endif()
endforeach()
foreach(name IN LISTS kept)
  if(NOT EXISTS "${outdir}/${name}")
    message(FATAL_ERROR "${outdir}/${name} is no plot output, yet it was removed")
  endif()
endforeach()

if(DEFINED EXPECT)
  file(STRINGS "${EXPECT}" lines)
  foreach(line IN LISTS lines)
    string(FIND "${haystack}" "${line}" found)
    if(found EQUAL -1)
      message(FATAL_ERROR "expected to find this line:\n  ${line}")
    endif()
  endforeach()
endif()
