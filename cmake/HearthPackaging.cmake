# Installing Hearth like any other server software (`cmake --install`), the CMake package
# and pkg-config file that out-of-tree plugins and embedders build against, and the Debian
# packages CPack makes from the same install rules. Included at the end of the top-level
# CMakeLists.txt, after every target exists.
#
# Layout below the prefix (GNUInstallDirs; the library folder stays `lib` so that `hearth`
# finds libhearth at $ORIGIN/../lib and the bundled plugins at ../lib/hearth/plugins):
#   bin/hearth                              the command (installed by host-adapters/cli)
#   lib/libhearth.so.<release>              the runtime (SONAME libhearth.so.<ABI major>)
#   lib/hearth/plugins/*.so                 bundled plugins and the adapters that are plugins
#   include/hearth/*.h, plugin.hpp          the public ABI (and early_warning.h)
#   lib/cmake/Hearth/                       find_package(Hearth): Hearth::hearth, Hearth::plugin_api,
#                                           hearth_add_plugin()
#   lib/pkgconfig/hearth.pc                 pkg-config --cflags --libs hearth
#   share/hearth/config/                    the default configuration folder (copy it to /etc/hearth)
#   share/hearth/hearth-plugin.map          the linker version script every plugin links with
#   share/hearth/templates/                 the plugin templates `hearth new-plugin` copies
#   share/doc/hearth/                       README and docs/
#
# Components: `runtime` (what a server needs), `system` (/etc/hearth and the systemd unit,
# packaging only) and `development` (headers, CMake package,
# pkg-config file); CPack's Debian generator turns them into the packages hearth and hearth-dev.

# Keep the libraries in <prefix>/lib unless the builder chose otherwise: Debian's multiarch
# default (lib/<triplet>) would break the command's $ORIGIN/../lib run path.
set(CMAKE_INSTALL_LIBDIR lib CACHE PATH "Object code libraries (lib)")
set(CMAKE_INSTALL_DOCDIR share/doc/hearth CACHE PATH "Documentation root (share/doc/hearth)")
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(HEARTH_INSTALL_PLUGIN_DIR ${CMAKE_INSTALL_LIBDIR}/hearth/plugins)
set(HEARTH_INSTALL_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/Hearth)
set(HEARTH_INSTALL_DATA_DIR ${CMAKE_INSTALL_DATADIR}/hearth)

# The runtime library and the header-only ABI target, exported for find_package(Hearth).
set_target_properties(hearth PROPERTIES EXPORT_NAME hearth)
set_target_properties(hearth_plugin_api PROPERTIES EXPORT_NAME plugin_api)
install(TARGETS hearth hearth_plugin_api
  EXPORT HearthTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
    COMPONENT runtime
    NAMELINK_COMPONENT development
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT HearthTargets
  NAMESPACE Hearth::
  DESTINATION ${HEARTH_INSTALL_CMAKE_DIR}
  COMPONENT development)

# The public headers: the ABI and the early-warning plugin's extension header.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/plugin-api/include/hearth
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  COMPONENT development
  FILES_MATCHING PATTERN "*.h" PATTERN "*.hpp")
install(FILES ${PROJECT_SOURCE_DIR}/plugins/early-warning/include/hearth/early_warning.h
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/hearth
  COMPONENT development)

# The child process that runs a plugin configured with `isolation = process`
# (docs/integrators/isolation.md); the runtime looks for it in ../libexec/hearth from its
# library's folder.
if(TARGET hearth_plugin_host)
  install(TARGETS hearth_plugin_host
    RUNTIME DESTINATION ${CMAKE_INSTALL_LIBEXECDIR}/hearth
    COMPONENT runtime)
endif()

# Every bundled plugin module (plugins/* and the adapters that run as plugins).
get_property(hearth_bundled_plugins GLOBAL PROPERTY HEARTH_BUNDLED_PLUGINS)
install(TARGETS ${hearth_bundled_plugins}
  LIBRARY DESTINATION ${HEARTH_INSTALL_PLUGIN_DIR}
  COMPONENT runtime)

# The default configuration, the plugin version script and the documentation.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/config/
  DESTINATION ${HEARTH_INSTALL_DATA_DIR}/config
  COMPONENT runtime)
install(FILES ${PROJECT_SOURCE_DIR}/cmake/hearth-plugin.map
  DESTINATION ${HEARTH_INSTALL_DATA_DIR}
  COMPONENT development)
install(FILES ${PROJECT_SOURCE_DIR}/README.md
  DESTINATION ${CMAKE_INSTALL_DOCDIR}
  COMPONENT runtime)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/
  DESTINATION ${CMAKE_INSTALL_DOCDIR}
  COMPONENT runtime)

# The plugin templates `hearth new-plugin` copies: share/hearth/templates, in the build
# tree too (refreshed when CMake runs), so that the command finds them beside bin/ in both.
foreach(hearth_template plugin-template-c plugin-template-cpp)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/examples/${hearth_template}
    DESTINATION ${HEARTH_INSTALL_DATA_DIR}/templates
    COMPONENT development)
  file(REMOVE_RECURSE ${PROJECT_BINARY_DIR}/share/hearth/templates/${hearth_template})
  file(COPY ${PROJECT_SOURCE_DIR}/examples/${hearth_template}
    DESTINATION ${PROJECT_BINARY_DIR}/share/hearth/templates)
endforeach()

# find_package(Hearth): the config file, its version file (same ABI major is compatible),
# and the version script hearth_add_plugin() links with.
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/HearthConfig.cmake.in
  ${PROJECT_BINARY_DIR}/packaging/HearthConfig.cmake
  INSTALL_DESTINATION ${HEARTH_INSTALL_CMAKE_DIR}
  PATH_VARS HEARTH_INSTALL_PLUGIN_DIR HEARTH_INSTALL_DATA_DIR)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/packaging/HearthConfigVersion.cmake
  VERSION ${PROJECT_VERSION}
  COMPATIBILITY SameMajorVersion)
install(FILES
    ${PROJECT_BINARY_DIR}/packaging/HearthConfig.cmake
    ${PROJECT_BINARY_DIR}/packaging/HearthConfigVersion.cmake
    ${PROJECT_SOURCE_DIR}/cmake/hearth-plugin.map
  DESTINATION ${HEARTH_INSTALL_CMAKE_DIR}
  COMPONENT development)

# pkg-config: relocatable (paths relative to the .pc file's own folder).
file(RELATIVE_PATH HEARTH_PC_UP /prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix)
string(REGEX REPLACE "/$" "" HEARTH_PC_UP "${HEARTH_PC_UP}")
configure_file(${CMAKE_CURRENT_LIST_DIR}/hearth.pc.in ${PROJECT_BINARY_DIR}/packaging/hearth.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/packaging/hearth.pc
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig
  COMPONENT development)

# --- Debian packages (cpack -G DEB) ----------------------------------------------------------
# hearth:     the command, libhearth, the bundled plugins, the default config (also in
#             /etc/hearth, as conffiles), the docs, and the systemd unit for `hearth serve`
#             running as the user hearth (created by the postinst) on /var/lib/hearth.
# hearth-dev: headers, the CMake package and hearth.pc.
# The /etc and unit files are installed only when packaging (EXCLUDE_FROM_ALL), so that
# `cmake --install --prefix DIR` never writes outside DIR.
# /etc/hearth/hearth.ini is the default one with its relative paths made absolute: the
# files it names under /etc/hearth, the store under /var/lib/hearth. So the unit, and
# `hearth --config /etc/hearth ...` from any working directory, read the same files.
file(READ ${PROJECT_SOURCE_DIR}/config/hearth.ini hearth_site_ini)
string(REGEX REPLACE "= config/" "= /etc/hearth/" hearth_site_ini "${hearth_site_ini}")
string(REGEX REPLACE "\ndata_dir = [^\n]*" "\ndata_dir = /var/lib/hearth" hearth_site_ini "${hearth_site_ini}")
file(WRITE ${PROJECT_BINARY_DIR}/packaging/etc/hearth.ini "${hearth_site_ini}")
set_property(DIRECTORY ${PROJECT_SOURCE_DIR} APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/config/hearth.ini)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/config/
  DESTINATION /etc/hearth
  COMPONENT system
  EXCLUDE_FROM_ALL
  PATTERN hearth.ini EXCLUDE)
install(FILES ${PROJECT_BINARY_DIR}/packaging/etc/hearth.ini
  DESTINATION /etc/hearth
  COMPONENT system
  EXCLUDE_FROM_ALL)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/hearth.service
  DESTINATION /lib/systemd/system
  COMPONENT system
  EXCLUDE_FROM_ALL)

# Every file below /etc/hearth is a conffile: dpkg keeps a site's edits on upgrade.
file(GLOB_RECURSE hearth_config_files RELATIVE ${PROJECT_SOURCE_DIR}/config
  CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/config/*)
list(SORT hearth_config_files)
set(hearth_conffiles "")
foreach(file IN LISTS hearth_config_files)
  string(APPEND hearth_conffiles "/etc/hearth/${file}\n")
endforeach()
file(WRITE ${PROJECT_BINARY_DIR}/packaging/debian/conffiles "${hearth_conffiles}")

set(CPACK_PACKAGE_NAME hearth)
set(CPACK_PACKAGE_VENDOR "Hearth")
set(CPACK_PACKAGE_CONTACT "Hearth maintainers <hearth@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
  "Early warning, coordinator handoff and dashboards for keeping tenants housed")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_PACKAGE_DIRECTORY ${PROJECT_BINARY_DIR}/packages)
set(CPACK_GENERATOR DEB)
set(CPACK_DEB_COMPONENT_INSTALL ON)
# Unspecified: bin/hearth, whose install rule (host-adapters/cli) names no component.
set(CPACK_COMPONENTS_ALL Unspecified runtime system development)
set(CPACK_COMPONENTS_GROUPING ONE_PER_GROUP)
set(CPACK_COMPONENT_UNSPECIFIED_GROUP server)
set(CPACK_COMPONENT_RUNTIME_GROUP server)
set(CPACK_COMPONENT_SYSTEM_GROUP server)
set(CPACK_COMPONENT_DEVELOPMENT_GROUP dev)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_SERVER_PACKAGE_NAME hearth)
set(CPACK_DEBIAN_SERVER_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_SERVER_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_SERVER_DESCRIPTION
  "Early warning, coordinator handoff and dashboards for keeping tenants housed
 The hearth command, libhearth, the bundled plugins, the default configuration in
 /etc/hearth and a systemd unit running `hearth serve` as the user hearth.")
set(CPACK_DEBIAN_SERVER_PACKAGE_CONTROL_EXTRA
  ${PROJECT_SOURCE_DIR}/packaging/debian/postinst
  ${PROJECT_SOURCE_DIR}/packaging/debian/prerm
  ${PROJECT_SOURCE_DIR}/packaging/debian/postrm
  ${PROJECT_BINARY_DIR}/packaging/debian/conffiles)
set(CPACK_DEBIAN_SERVER_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_DEBIAN_DEV_PACKAGE_NAME hearth-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS "hearth (= ${PROJECT_VERSION})")
set(CPACK_DEBIAN_DEV_DESCRIPTION
  "Hearth development files: headers, CMake package and pkg-config file
 For plugins built outside the Hearth tree (find_package(Hearth) or pkg-config hearth)
 and programs that embed libhearth.")
include(CPack)
