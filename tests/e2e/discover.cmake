cmake_minimum_required(VERSION 3.16)
# Run after each build of e2e: asks `e2e --list` for its tests and writes
# the ctest file that registers each as e2e.<name>, so the list lives only
# in tests/e2e/main.c (as gtest_discover_tests does for GoogleTest).
#   cmake -DE2E=... -DOUT=... -DBUILD_DIR=... -DSCENARIO_DIR=... -DSOURCE_DIR=... -P discover.cmake
execute_process(COMMAND ${E2E} --list OUTPUT_VARIABLE names RESULT_VARIABLE status)
if(NOT status EQUAL 0 OR names STREQUAL "")
  message(FATAL_ERROR "e2e --list failed (${status})")
endif()
execute_process(COMMAND ${E2E} --list-load OUTPUT_VARIABLE loads RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "e2e --list-load failed (${status})")
endif()
string(REGEX REPLACE "\n$" "" loads "${loads}")
string(REPLACE "\n" ";" loads "${loads}")
string(REGEX REPLACE "\n$" "" names "${names}")
string(REPLACE "\n" ";" names "${names}")
set(environment "HARNESS_BIN_DIR=${BUILD_DIR};E2E_SCENARIO_DIR=${SCENARIO_DIR};E2E_SOURCE_DIR=${SOURCE_DIR}")
set(text "# written by tests/e2e/discover.cmake from `e2e --list`\n")
foreach(name ${names})
  string(APPEND text "add_test(e2e.${name} \"${E2E}\" ${name})\n"
         "set_tests_properties(e2e.${name} PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 120 "
         "ENVIRONMENT \"${environment}\")\n")
endforeach()
# what a test's points ask of the machine (tests/resources.json, ctest
# --resource-spec-file): HEAVY takes one of the CPU-heavy slots, TIMING all
# of them, so that no CPU-heavy test runs beside it
foreach(line ${loads})
  string(REPLACE " " ";" fields "${line}")
  list(GET fields 0 name)
  list(GET fields 1 load)
  if(load STREQUAL "HEAVY")
    string(APPEND text "set_tests_properties(e2e.${name} PROPERTIES RESOURCE_GROUPS cpu:1)\n")
  elseif(load STREQUAL "TIMING")
    string(APPEND text "set_tests_properties(e2e.${name} PROPERTIES RESOURCE_GROUPS cpu:3)\n")
  endif()
endforeach()
# the interrupt test counts the harness processes it started; run it alone
if("interrupt" IN_LIST names)
  string(APPEND text "set_tests_properties(e2e.interrupt PROPERTIES RUN_SERIAL TRUE)\n")
endif()
file(WRITE ${OUT}.new "${text}")
execute_process(COMMAND ${CMAKE_COMMAND} -E copy_if_different ${OUT}.new ${OUT})
file(REMOVE ${OUT}.new)
