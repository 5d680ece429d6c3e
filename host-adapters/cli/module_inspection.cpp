// Module inspection in a forked child, with its answer sent back through a pipe.
#include "module_inspection.hpp"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <iostream>

#include <poll.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <hearth/host.h>

#include "cli_errors.hpp"

namespace hearth::cli {

namespace {

// The first byte of the child's answer: what follows is a report or a refusal.
constexpr char accepted_marker = 'A';
constexpr char refused_marker = 'R';
// The child's exit status when it could not send its answer.
constexpr int child_write_failed = 3;

// Writes all of `text` to `fd`; false on failure.
bool write_all(int fd, const std::string &text) {
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t count = ::write(fd, text.data() + written, text.size() - written);
    if (count < 0 && errno == EINTR) {
      continue;
    }
    if (count <= 0) {
      return false;
    }
    written += static_cast<std::size_t>(count);
  }
  return true;
}

// The child's side: inspect, send the answer through `answer_fd`, and end without running
// the parent's exit handlers. Never returns.
[[noreturn]] void inspect_as_child(const std::string &path, int answer_fd) {
  // A crashing module should be reported, not leave a core file behind.
  const rlimit no_core_files{0, 0};
  ::setrlimit(RLIMIT_CORE, &no_core_files);

  char *report = nullptr;
  char *error = nullptr;
  const std::int32_t status = hearth_inspect_module(path.c_str(), &report, &error);
  std::string answer;
  if (status == HEARTH_OK) {
    answer = accepted_marker + std::string(report != nullptr ? report : "{}");
  } else {
    answer = refused_marker +
             std::string(error != nullptr && *error != '\0' ? error : hearth_status_name(status));
  }
  hearth_free(report);
  hearth_free(error);
  const bool sent = write_all(answer_fd, answer);
  ::close(answer_fd);
  ::_exit(sent ? 0 : child_write_failed);
}

// Milliseconds left until `deadline`, at least 0.
int milliseconds_until(std::chrono::steady_clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  return left.count() > 0 ? static_cast<int>(left.count()) : 0;
}

// Reads `fd` to its end into `answer`. False when `deadline` passed first.
bool read_until_end(int fd, std::chrono::steady_clock::time_point deadline,
                    std::string &answer) {
  char buffer[4096];
  for (;;) {
    pollfd readable{fd, POLLIN, 0};
    const int ready = ::poll(&readable, 1, milliseconds_until(deadline));
    if (ready < 0 && errno == EINTR) {
      continue;
    }
    if (ready < 0) {
      throw CommandFailure(std::string("cannot wait for the inspection: ") +
                           std::strerror(errno));
    }
    if (ready == 0) {
      return false;
    }
    const ssize_t count = ::read(fd, buffer, sizeof buffer);
    if (count < 0 && errno == EINTR) {
      continue;
    }
    if (count <= 0) {
      return true;
    }
    answer.append(buffer, static_cast<std::size_t>(count));
  }
}

// Waits for `child` to end and returns its wait status.
int reap(pid_t child) {
  int wait_status = 0;
  while (::waitpid(child, &wait_status, 0) < 0) {
    if (errno != EINTR) {
      throw CommandFailure(std::string("cannot wait for the inspection: ") +
                           std::strerror(errno));
    }
  }
  return wait_status;
}

} // namespace

InspectionOutcome inspect_module_in_child(const std::string &path,
                                          std::chrono::milliseconds time_limit) {
  int pipe_fds[2];
  if (::pipe(pipe_fds) != 0) {
    throw CommandFailure(std::string("cannot create a pipe: ") + std::strerror(errno));
  }
  // Output still buffered would otherwise be written twice, once by each process.
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);

  const pid_t child = ::fork();
  if (child < 0) {
    const int fork_error = errno;
    ::close(pipe_fds[0]);
    ::close(pipe_fds[1]);
    throw CommandFailure(std::string("cannot start the inspection: ") +
                         std::strerror(fork_error));
  }
  if (child == 0) {
    ::close(pipe_fds[0]);
    inspect_as_child(path, pipe_fds[1]);
  }
  ::close(pipe_fds[1]);

  std::string answer;
  const auto deadline = std::chrono::steady_clock::now() + time_limit;
  const bool finished = read_until_end(pipe_fds[0], deadline, answer);
  ::close(pipe_fds[0]);
  if (!finished) {
    ::kill(child, SIGKILL);
    reap(child);
    throw CommandFailure("the module did not finish being inspected within " +
                         std::to_string(time_limit.count() / 1000) + " s");
  }

  const int wait_status = reap(child);
  if (WIFSIGNALED(wait_status)) {
    const int signal_number = WTERMSIG(wait_status);
    throw CommandFailure("the module crashed while being inspected: signal " +
                         std::to_string(signal_number) + " (" + ::strsignal(signal_number) +
                         ")");
  }
  const int exit_status = WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : -1;
  if (exit_status != 0 || answer.empty() ||
      (answer.front() != accepted_marker && answer.front() != refused_marker)) {
    throw CommandFailure("the module ended its inspection without an answer (exit status " +
                         std::to_string(exit_status) + ")");
  }

  InspectionOutcome outcome;
  outcome.accepted = answer.front() == accepted_marker;
  (outcome.accepted ? outcome.report_json : outcome.refusal) = answer.substr(1);
  return outcome;
}

} // namespace hearth::cli
