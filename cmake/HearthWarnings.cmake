# Warning and sanitizer flags shared by every target of the project.
add_library(hearth_warnings INTERFACE)
target_compile_options(hearth_warnings INTERFACE -Wall -Wextra -Wpedantic)
if(HEARTH_WARNINGS_AS_ERRORS)
  target_compile_options(hearth_warnings INTERFACE -Werror)
  # GCC 12 at -O2 reports array-bounds / restrict / stringop-overflow in libstdc++'s own
  # std::string concatenation (GCC bugs 105329, 105651): still shown, not fatal.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    target_compile_options(hearth_warnings INTERFACE
      $<$<COMPILE_LANGUAGE:CXX>:-Wno-error=array-bounds -Wno-error=restrict -Wno-error=stringop-overflow>)
  endif()
endif()

# The sanitizers instrument the product's code everywhere it is compiled; the test drivers
# under tests/ are linked with the sanitizers' run-time but not instrumented
# (hearth_instrument_product_sources in tests/CMakeLists.txt, docs/adr/0013).
set(HEARTH_SANITIZE_COMPILE_OPTIONS -fsanitize=address,undefined -fno-sanitize-recover=undefined)
if(HEARTH_SANITIZE)
  add_compile_options(${HEARTH_SANITIZE_COMPILE_OPTIONS} -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
