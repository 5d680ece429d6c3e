#include "test_certificate.hpp"

#include <cstdio>
#include <functional>
#include <memory>
#include <stdexcept>

#include <sys/stat.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace hearth::test {
namespace {

template <class T, void (*Free)(T *)> struct Deleter {
  void operator()(T *p) const { Free(p); }
};
using Key = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using Certificate = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using Extension = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION, X509_EXTENSION_free>>;

void check(bool ok, const char *step) {
  if (!ok) {
    throw std::runtime_error(std::string("test certificate: ") + step + " failed");
  }
}

void add_extension(X509 *certificate, int nid, const char *value) {
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, certificate, certificate, nullptr, nullptr, 0);
  Extension extension(X509V3_EXT_conf_nid(nullptr, &context, nid, value));
  check(extension != nullptr, "X509V3_EXT_conf_nid");
  check(X509_add_ext(certificate, extension.get(), -1) == 1, "X509_add_ext");
}

void write_pem(const std::filesystem::path &file, const std::function<int(FILE *)> &write) {
  std::unique_ptr<FILE, int (*)(FILE *)> out(std::fopen(file.c_str(), "w"), &std::fclose);
  check(out != nullptr, "opening the PEM file");
  ::chmod(file.c_str(), 0600);
  check(write(out.get()) == 1, "writing PEM");
}

} // namespace

TestCertificate make_test_certificate(const std::filesystem::path &folder, const std::string &name) {
  Key key(EVP_EC_gen("P-256"));
  check(key != nullptr, "EVP_EC_gen");
  Certificate certificate(X509_new());
  check(certificate != nullptr, "X509_new");
  X509 *x509 = certificate.get();
  check(X509_set_version(x509, 2) == 1, "X509_set_version");
  ASN1_INTEGER_set(X509_get_serialNumber(x509), static_cast<long>(std::hash<std::string>{}(name) & 0x7fffffff));
  X509_gmtime_adj(X509_getm_notBefore(x509), -3600);
  X509_gmtime_adj(X509_getm_notAfter(x509), 24L * 3600L);
  check(X509_set_pubkey(x509, key.get()) == 1, "X509_set_pubkey");
  X509_NAME *subject = X509_get_subject_name(x509);
  check(X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char *>(name.c_str()),
                                   -1, -1, 0) == 1,
        "X509_NAME_add_entry_by_txt");
  check(X509_set_issuer_name(x509, subject) == 1, "X509_set_issuer_name");
  add_extension(x509, NID_basic_constraints, "critical,CA:TRUE");
  add_extension(x509, NID_key_usage, "critical,digitalSignature,keyCertSign");
  add_extension(x509, NID_subject_alt_name, "IP:127.0.0.1,DNS:localhost");
  check(X509_sign(x509, key.get(), EVP_sha256()) > 0, "X509_sign");

  TestCertificate out{folder / (name + "-cert.pem"), folder / (name + "-key.pem")};
  write_pem(out.key_file, [&](FILE *file) {
    return PEM_write_PrivateKey(file, key.get(), nullptr, nullptr, 0, nullptr, nullptr);
  });
  write_pem(out.certificate_file, [&](FILE *file) { return PEM_write_X509(file, x509); });
  return out;
}

} // namespace hearth::test
