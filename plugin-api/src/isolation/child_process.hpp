// One hearth-plugin-host child process and the runtime's end of its socket: starting it
// with posix_spawn, its memory use, stopping it, and saying how it ended.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include <sys/types.h>

namespace hearth::isolation {

class ChildProcess {
public:
  // What the child is started for: to describe a module and end, or to serve a plugin.
  enum class Mode { describe, serve };

  // Starts `host_executable` for `module` with one end of a socketpair as its fd 3.
  // Throws std::runtime_error naming the executable when it cannot be started.
  ChildProcess(const std::filesystem::path &host_executable, const std::filesystem::path &module, Mode mode);
  // Kills the child if it still runs and reaps it.
  ~ChildProcess();
  ChildProcess(const ChildProcess &) = delete;
  ChildProcess &operator=(const ChildProcess &) = delete;

  // The runtime's end of the socket; valid until close_socket() or destruction.
  int socket() const { return socket_; }
  pid_t pid() const { return pid_; }

  // Closes the runtime's end, so that the child reads end of stream.
  void close_socket();

  // The child's resident memory in bytes (from /proc/<pid>/statm); nullopt once it ended.
  std::optional<std::uint64_t> resident_bytes() const;

  // Waits up to `timeout` for the child to end by itself; true when it ended (and is reaped).
  bool wait_for_exit(std::chrono::milliseconds timeout);

  // Sends SIGKILL (when still running) and reaps the child.
  void kill();

  // How the child ended, once reaped: "signal 11 (Segmentation fault)", "exit status 3";
  // "still running" before.
  std::string ending() const;
  // True when it ended through a signal or a non-zero exit status.
  bool ended_badly() const;

private:
  bool reap(bool block);

  pid_t pid_ = -1;
  int socket_ = -1;
  bool reaped_ = false;
  int wait_status_ = 0;
};

} // namespace hearth::isolation
