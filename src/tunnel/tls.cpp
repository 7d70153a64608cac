#include "tunnel/tls.h"

#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <boost/asio/ip/address.hpp>

#include "core/diagnostics.h"
#include "tunnel/system_roots.h"

namespace ptvsd::tunnel {

namespace ssl = boost::asio::ssl;

ssl::context make_tls_context(const std::filesystem::path& ca_file) {
  ssl::context context(ssl::context::tls_client);
  SSL_CTX_set_min_proto_version(context.native_handle(), TLS1_2_VERSION);
  context.set_verify_mode(ssl::verify_peer);
  add_system_roots(SSL_CTX_get_cert_store(context.native_handle()));
  if (!ca_file.empty()) {
    boost::system::error_code error;
    context.load_verify_file(ca_file.string(), error);
    if (error) {
      throw Error(Code::usage, {},
                  "attach: --ca-file '" + ca_file.string() + "' is not a readable PEM certificate file (" +
                      error.message() + ")");
    }
  }
  return context;
}

bool expect_host(SSL* ssl, const std::string& host) {
  boost::system::error_code not_an_address;
  boost::asio::ip::make_address(host, not_an_address);
  X509_VERIFY_PARAM* parameters = SSL_get0_param(ssl);
  if (!not_an_address) return X509_VERIFY_PARAM_set1_ip_asc(parameters, host.c_str()) == 1;
  // SNI picks the certificate on a shared front (App Service serves many sites on one address).
  return SSL_set_tlsext_host_name(ssl, host.c_str()) == 1 && SSL_set1_host(ssl, host.c_str()) == 1;
}

Verification verification_of(const SSL* ssl) {
  const long result = SSL_get_verify_result(ssl);
  if (result == X509_V_OK) return {};
  return {true, result == X509_V_ERR_HOSTNAME_MISMATCH || result == X509_V_ERR_IP_ADDRESS_MISMATCH,
          X509_verify_cert_error_string(result)};
}

}  // namespace ptvsd::tunnel
