# Every dependency comes from a Debian 12 package (scripts/install-deps.sh installs them).
find_package(Threads REQUIRED)
find_package(Poco REQUIRED COMPONENTS Foundation Util Net JSON Crypto JWT)
find_package(spdlog REQUIRED)
find_package(Boost 1.74 REQUIRED COMPONENTS filesystem)
find_package(SQLite3 REQUIRED)
find_package(PostgreSQL REQUIRED)

# Debian's SOCI ships no CMake package: find the libraries by hand. Its PostgreSQL backend
# header includes libpq-fe.h, hence the PostgreSQL include directory.
find_path(SOCI_INCLUDE_DIR soci/soci.h REQUIRED)
find_library(SOCI_CORE_LIBRARY NAMES soci_core REQUIRED)
find_library(SOCI_SQLITE3_LIBRARY NAMES soci_sqlite3 REQUIRED)
find_library(SOCI_POSTGRESQL_LIBRARY NAMES soci_postgresql REQUIRED)
add_library(hearth_soci INTERFACE)
target_include_directories(hearth_soci SYSTEM INTERFACE ${SOCI_INCLUDE_DIR} ${PostgreSQL_INCLUDE_DIRS})
target_link_libraries(hearth_soci INTERFACE
  ${SOCI_SQLITE3_LIBRARY} ${SOCI_POSTGRESQL_LIBRARY} ${SOCI_CORE_LIBRARY}
  SQLite::SQLite3 PostgreSQL::PostgreSQL ${CMAKE_DL_LIBS})

if(HEARTH_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
if(HEARTH_BUILD_BENCHMARKS)
  find_package(benchmark REQUIRED)
endif()
