# Precompiled headers for the heavy C++ targets. On the 2-core CI machine most of the build
# time is spent parsing the same Poco, spdlog and GoogleTest headers again and again.
# hearth_precompile(TARGET [TESTS]): C++ sources of TARGET get cmake/pch/runtime.hpp (or
# tests.hpp with TESTS) precompiled; C sources are left alone.
option(HEARTH_PRECOMPILED_HEADERS "Precompile common headers to build faster" ON)
function(hearth_precompile target)
  cmake_parse_arguments(ARG "TESTS" "" "" ${ARGN})
  if(NOT HEARTH_PRECOMPILED_HEADERS)
    return()
  endif()
  set(header ${PROJECT_SOURCE_DIR}/cmake/pch/runtime.hpp)
  if(ARG_TESTS)
    set(header ${PROJECT_SOURCE_DIR}/cmake/pch/tests.hpp)
  endif()
  target_precompile_headers(${target} PRIVATE "$<$<COMPILE_LANGUAGE:CXX>:${header}>")
endfunction()
