// TLS for wss://: OpenSSL through Asio, verifying the site's certificate against the system's
// trust store (and --ca-file), with the host name checked and sent as SNI. There is no way to turn
// verification off: a debugger connection runs code on the site, so a man in the middle would own it.
#pragma once

#include <filesystem>
#include <string>

#include <boost/asio/ssl/context.hpp>

namespace ptvsd::tunnel {

// A client context: TLS 1.2 or later, peer verification on, the system's roots (on Windows, the
// ROOT certificate store, which OpenSSL does not read by itself) plus `ca_file` when not empty.
// Throws Error(usage) when `ca_file` cannot be read as PEM certificates.
boost::asio::ssl::context make_tls_context(const std::filesystem::path& ca_file);

// Before the handshake on `ssl`: SNI for a host name, and the name or address the certificate
// must carry. Returns false when OpenSSL refused the name.
bool expect_host(SSL* ssl, const std::string& host);

// After a failed handshake: whether it was the certificate, and OpenSSL's reason.
struct Verification {
  bool failed = false;
  bool hostname_mismatch = false;
  std::string reason;
};
Verification verification_of(const SSL* ssl);

}  // namespace ptvsd::tunnel
