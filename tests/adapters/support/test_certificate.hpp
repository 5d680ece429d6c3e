// A TLS identity made by a test at run time (never a committed key): an EC P-256 key and
// a self-signed certificate for 127.0.0.1 and localhost, valid from an hour ago for a day,
// written as PEM files. The certificate is its own authority, so a client trusts it by
// naming cert.pem as its CA file. Built with OpenSSL's API.
#pragma once

#include <filesystem>
#include <string>

namespace hearth::test {

struct TestCertificate {
  std::filesystem::path certificate_file; // <folder>/<name>-cert.pem
  std::filesystem::path key_file;         // <folder>/<name>-key.pem (mode 0600)
};

// Generates a new key and certificate with common name `name` in `folder`. Throws
// std::runtime_error naming the OpenSSL step that failed.
TestCertificate make_test_certificate(const std::filesystem::path &folder, const std::string &name);

} // namespace hearth::test
