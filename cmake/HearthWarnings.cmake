# Warning and sanitizer flags shared by every target of the project.
add_library(hearth_warnings INTERFACE)
target_compile_options(hearth_warnings INTERFACE -Wall -Wextra -Wpedantic)
if(HEARTH_WARNINGS_AS_ERRORS)
  target_compile_options(hearth_warnings INTERFACE -Werror)
endif()

if(HEARTH_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
