// The source of hearth_test_pch, the program that builds the GoogleTest suites' shared
// precompiled header (cmake/HearthPrecompiled.cmake). It does nothing.
int main() { return 0; }
