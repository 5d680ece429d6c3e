# Fuzzing with libFuzzer (Clang 14: Debian packages clang-14 and libclang-rt-14-dev).
#
#   option HEARTH_FUZZ      builds the fuzz targets; needs Clang as the compiler:
#                           cmake -B build-fuzz -DCMAKE_C_COMPILER=clang-14 \
#                             -DCMAKE_CXX_COMPILER=clang++-14 -DHEARTH_FUZZ=ON
#   hearth_add_fuzz_target(NAME SOURCES src... LIBS lib... CORPUS name)
#                           one libFuzzer executable (with ASan and UBSan) that links
#                           `LIBS`; the project's static libraries among them are compiled
#                           with coverage instrumentation too. CORPUS names the seed set
#                           host-adapters/common/fuzz/make_seeds.py writes from the
#                           fixtures at run time (vera, csv, text, ...), or is an absolute
#                           folder of seeds the adapter builds itself. Without HEARTH_FUZZ
#                           it does nothing, so adapters declare their targets always.
#
# Every target is described in <build>/fuzz/<name>.target ("<corpus> <executable>") for
# host-adapters/common/fuzz/run-fuzz.sh. docs/fuzzing.md tells how to run them.
include_guard(GLOBAL)

option(HEARTH_FUZZ "Build the libFuzzer targets (needs Clang)" OFF)
if(HEARTH_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "HEARTH_FUZZ needs Clang for libFuzzer: configure with "
                        "-DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14")
  endif()
endif()

function(hearth_add_fuzz_target name)
  cmake_parse_arguments(ARG "" "CORPUS" "SOURCES;LIBS" ${ARGN})
  if(NOT HEARTH_FUZZ)
    return()
  endif()
  if(NOT ARG_SOURCES OR NOT ARG_CORPUS)
    message(FATAL_ERROR "hearth_add_fuzz_target(${name}): SOURCES and CORPUS are required")
  endif()
  # Defined here, not at file scope: callers in other directories do not see that scope.
  # No vptr check: SOCI exports no typeinfo for its internals (as in the asan preset).
  set(HEARTH_FUZZ_FLAGS -fsanitize=address,undefined -fno-sanitize=vptr -fno-omit-frame-pointer
      -fno-sanitize-recover=undefined)
  add_executable(${name} ${ARG_SOURCES})
  target_compile_options(${name} PRIVATE -fsanitize=fuzzer ${HEARTH_FUZZ_FLAGS})
  target_link_options(${name} PRIVATE -fsanitize=fuzzer ${HEARTH_FUZZ_FLAGS})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} hearth_warnings)
  # The project's own static libraries get coverage feedback and the sanitizers as well.
  foreach(lib IN LISTS ARG_LIBS)
    if(TARGET ${lib})
      get_target_property(imported ${lib} IMPORTED)
      get_target_property(type ${lib} TYPE)
      if(NOT imported AND type STREQUAL "STATIC_LIBRARY")
        target_compile_options(${lib} PRIVATE -fsanitize=fuzzer-no-link ${HEARTH_FUZZ_FLAGS})
        foreach(dependency IN ITEMS hearth_adapter_common)
          if(TARGET ${dependency})
            target_compile_options(${dependency} PRIVATE -fsanitize=fuzzer-no-link ${HEARTH_FUZZ_FLAGS})
          endif()
        endforeach()
      endif()
    endif()
  endforeach()
  file(GENERATE OUTPUT ${CMAKE_BINARY_DIR}/fuzz/${name}.target CONTENT "${ARG_CORPUS} $<TARGET_FILE:${name}>\n")
endfunction()
