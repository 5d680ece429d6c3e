# hearth_add_plugin(NAME SOURCES... [OUTPUT_DIR dir])
# Builds a plugin module that exports exactly one symbol, the entry function
# `hearth_get_plugin_entry` (hidden visibility plus a linker version script), and puts it
# where the runtime looks for bundled plugins.
set(HEARTH_PLUGIN_VERSION_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/hearth-plugin.map)
function(hearth_add_plugin name)
  cmake_parse_arguments(ARG "" "OUTPUT_DIR" "SOURCES" ${ARGN})
  if(NOT ARG_OUTPUT_DIR)
    set(ARG_OUTPUT_DIR ${HEARTH_PLUGIN_OUTPUT_DIR})
    set_property(GLOBAL APPEND PROPERTY HEARTH_BUNDLED_PLUGINS ${name})
  endif()
  add_library(${name} MODULE ${ARG_SOURCES} ${ARG_UNPARSED_ARGUMENTS})
  target_link_libraries(${name} PRIVATE hearth_plugin_api hearth_warnings)
  set_target_properties(${name} PROPERTIES
    PREFIX ""
    C_VISIBILITY_PRESET hidden
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    LIBRARY_OUTPUT_DIRECTORY ${ARG_OUTPUT_DIR})
  target_link_options(${name} PRIVATE
    "LINKER:--version-script=${HEARTH_PLUGIN_VERSION_SCRIPT}" "LINKER:--no-undefined")
endfunction()
