// The HTTP address the configuration names, for showing the URL `hearth serve` listens on
// (the embedding API reports the bound port but not the address).
#pragma once

#include <optional>
#include <string>

namespace hearth::cli {

// [http] address from `config_dir`/hearth.ini, or the built-in default "127.0.0.1" when
// there is no folder, no file or no such key. Never throws.
std::string configured_http_address(const std::optional<std::string> &config_dir);

} // namespace hearth::cli
