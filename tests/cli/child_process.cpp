// Child processes with captured output, started with posix_spawn.
#include "child_process.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <stdexcept>
#include <thread>

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

namespace hearth::test {

namespace {

// How often finish() looks whether a child whose pipes closed has exited.
constexpr std::chrono::milliseconds exit_check_interval{10};

// Milliseconds left until `deadline`, at least 0.
int milliseconds_until(std::chrono::steady_clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  return left.count() > 0 ? static_cast<int>(left.count()) : 0;
}

// The current environment as NAME=value entries, without HEARTH_CONFIG_DIR (so that the
// developer's own setting cannot leak into a test) and with `overrides` applied.
std::vector<std::string> child_environment(const std::map<std::string, std::string> &overrides) {
  std::vector<std::string> entries;
  for (char **entry = environ; *entry != nullptr; ++entry) {
    const std::string text = *entry;
    const std::string name = text.substr(0, text.find('='));
    if (name != "HEARTH_CONFIG_DIR" && overrides.count(name) == 0) {
      entries.push_back(text);
    }
  }
  for (const auto &[name, value] : overrides) {
    entries.push_back(name + "=" + value);
  }
  return entries;
}

// Pointers to the strings of `texts`, NULL-ended, for exec-style calls.
std::vector<char *> c_strings(std::vector<std::string> &texts) {
  std::vector<char *> pointers;
  for (auto &text : texts) {
    pointers.push_back(text.data());
  }
  pointers.push_back(nullptr);
  return pointers;
}

} // namespace

ChildProcess::ChildProcess(const std::string &program, const std::vector<std::string> &arguments,
                           const std::map<std::string, std::string> &environment) {
  int out_pipe[2];
  int err_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) {
    throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  }
  if (::pipe2(err_pipe, O_CLOEXEC) != 0) {
    ::close(out_pipe[0]);
    ::close(out_pipe[1]);
    throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], STDERR_FILENO);

  std::vector<std::string> argv_texts{program};
  argv_texts.insert(argv_texts.end(), arguments.begin(), arguments.end());
  std::vector<std::string> env_texts = child_environment(environment);
  std::vector<char *> argv = c_strings(argv_texts);
  std::vector<char *> envp = c_strings(env_texts);

  const int result =
      ::posix_spawn(&pid_, program.c_str(), &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  if (result != 0) {
    ::close(out_pipe[0]);
    ::close(err_pipe[0]);
    throw std::runtime_error("cannot start " + program + ": " + std::strerror(result));
  }
  stdout_fd_ = out_pipe[0];
  stderr_fd_ = err_pipe[0];
}

ChildProcess::~ChildProcess() {
  if (!reaped_ && pid_ > 0) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
  if (stdout_fd_ >= 0) {
    ::close(stdout_fd_);
  }
  if (stderr_fd_ >= 0) {
    ::close(stderr_fd_);
  }
}

bool ChildProcess::pump(std::chrono::steady_clock::time_point deadline) {
  pollfd fds[2] = {{stdout_fd_, POLLIN, 0}, {stderr_fd_, POLLIN, 0}};
  const int ready = ::poll(fds, 2, milliseconds_until(deadline));
  if (ready < 0 && errno == EINTR) {
    return true;
  }
  if (ready <= 0) {
    return false;
  }
  int *fd_slots[2] = {&stdout_fd_, &stderr_fd_};
  std::string *buffers[2] = {&stdout_buffer_, &stderr_buffer_};
  for (int index = 0; index < 2; ++index) {
    if (fds[index].fd < 0 || fds[index].revents == 0) {
      continue;
    }
    char chunk[4096];
    const ssize_t count = ::read(fds[index].fd, chunk, sizeof chunk);
    if (count > 0) {
      buffers[index]->append(chunk, static_cast<std::size_t>(count));
    } else if (count == 0 || errno != EINTR) {
      ::close(*fd_slots[index]);
      *fd_slots[index] = -1;
    }
  }
  return true;
}

std::optional<std::string> ChildProcess::read_stdout_line(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (const auto newline = stdout_buffer_.find('\n'); newline != std::string::npos) {
      std::string line = stdout_buffer_.substr(0, newline);
      stdout_buffer_.erase(0, newline + 1);
      return line;
    }
    if (stdout_fd_ < 0 || !pump(deadline)) {
      return std::nullopt;
    }
  }
}

void ChildProcess::send_signal(int signal_number) {
  if (!reaped_) {
    ::kill(pid_, signal_number);
  }
}

ChildResult ChildProcess::finish(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while ((stdout_fd_ >= 0 || stderr_fd_ >= 0) && pump(deadline)) {
  }
  ChildResult result;
  int status = 0;
  pid_t waited = 0;
  while ((waited = ::waitpid(pid_, &status, WNOHANG)) == 0 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(exit_check_interval);
  }
  if (waited == 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, &status, 0);
    result.timed_out = true;
  } else {
    result.exited = WIFEXITED(status);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    result.signal_number = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
  }
  reaped_ = true;
  result.out = std::move(stdout_buffer_);
  result.err = std::move(stderr_buffer_);
  return result;
}

ChildResult run_child(const std::string &program, const std::vector<std::string> &arguments,
                      std::chrono::milliseconds timeout,
                      const std::map<std::string, std::string> &environment) {
  ChildProcess child(program, arguments, environment);
  return child.finish(timeout);
}

} // namespace hearth::test
