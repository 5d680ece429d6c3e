// hearth_dashboards_seed PATH: writes the demo store the dashboards tests copy (the CTest
// setup test dashboards.seed runs it once, before them).
#include <exception>
#include <iostream>

#include "dashboard_seed.hpp"

int main(int argc, char **argv) {
  if (argc != 2) {
    std::cerr << "usage: hearth_dashboards_seed PATH\n";
    return 2;
  }
  try {
    hearth::test::dashboards::write_shared_seed(argv[1]);
  } catch (const std::exception &e) {
    std::cerr << "hearth_dashboards_seed: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
