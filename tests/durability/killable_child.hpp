// A child process the durability test can read line by line and kill at any moment:
// stdout comes through a pipe, stderr goes to a file. Every wait is bounded.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>

namespace hearth::test {

// One running child. The destructor kills (SIGKILL) and reaps a child still running.
class KillableChild {
public:
  // Starts `program` with `arguments` (argv[1..]) and the current environment, stderr
  // appended to `stderr_file`. Throws std::runtime_error if it cannot start.
  KillableChild(const std::string &program, const std::vector<std::string> &arguments,
                const std::filesystem::path &stderr_file);
  ~KillableChild();
  KillableChild(const KillableChild &) = delete;
  KillableChild &operator=(const KillableChild &) = delete;

  // The next complete line of stdout without its newline; nothing when stdout ended or
  // `timeout` passed first (see stdout_ended()).
  std::optional<std::string> read_line(std::chrono::milliseconds timeout);

  // True once the child's stdout reached its end (it exited or was killed).
  bool stdout_ended() const { return eof_; }

  // Sends SIGKILL. Lines it wrote before dying can still be read.
  void kill();

  // Reads stdout to its end (at most `timeout`) and returns the complete lines not read
  // yet; a trailing partial line is dropped, as a reader of a killed writer must.
  std::vector<std::string> remaining_lines(std::chrono::milliseconds timeout);

  // Waits for the child to end, at most `timeout` (then kills it). Returns the wait status
  // (see WIFEXITED/WIFSIGNALED).
  int wait(std::chrono::milliseconds timeout);

private:
  // Reads what the pipe holds into the buffer, waiting at most until `deadline`.
  void pump(std::chrono::steady_clock::time_point deadline);

  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  std::string buffer_;
  bool eof_ = false;
  bool reaped_ = false;
  int wait_status_ = 0;
};

} // namespace hearth::test
