// Runs a program as a child process with its stdout and stderr captured, for tests of the
// `hearth` command. Every wait is bounded by a timeout.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>

namespace hearth::test {

// How a finished child ended and what it wrote.
struct ChildResult {
  bool exited = false;    // false: it was killed by a signal or did not end in time
  bool timed_out = false; // it did not end in time and was killed
  int exit_code = -1;     // valid when `exited`
  int signal_number = 0;  // the signal that ended it, or 0
  std::string out;        // stdout
  std::string err;        // stderr
};

// A running child process. The destructor kills (SIGKILL) and reaps a child still running.
class ChildProcess {
public:
  // Starts `program` with `arguments` (argv[1..]), the current environment without
  // HEARTH_CONFIG_DIR, plus `environment`. Throws std::runtime_error if it cannot start.
  ChildProcess(const std::string &program, const std::vector<std::string> &arguments,
               const std::map<std::string, std::string> &environment = {});
  ~ChildProcess();
  ChildProcess(const ChildProcess &) = delete;
  ChildProcess &operator=(const ChildProcess &) = delete;

  // The next line of stdout without its newline, or nothing when stdout ended or
  // `timeout` passed first.
  std::optional<std::string> read_stdout_line(std::chrono::milliseconds timeout);

  // Sends `signal_number` to the child.
  void send_signal(int signal_number);

  // Reads stdout and stderr to their end and waits for the child to exit, for at most
  // `timeout`; a child still running then is killed and reported with exited == false.
  ChildResult finish(std::chrono::milliseconds timeout);

private:
  // Reads what is available on the pipes into the buffers, waiting at most until
  // `deadline`. Returns false when the deadline passed with nothing to read.
  bool pump(std::chrono::steady_clock::time_point deadline);

  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  int stderr_fd_ = -1;
  std::string stdout_buffer_;
  std::string stderr_buffer_;
  bool reaped_ = false;
};

// Runs `program` to its end (at most `timeout`) and returns how it ended.
ChildResult run_child(const std::string &program, const std::vector<std::string> &arguments,
                      std::chrono::milliseconds timeout = std::chrono::seconds(30),
                      const std::map<std::string, std::string> &environment = {});

} // namespace hearth::test
