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

if(HEARTH_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
