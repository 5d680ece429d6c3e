#include "killable_child.hpp"

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <thread>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

namespace hearth::test {

KillableChild::KillableChild(const std::string &program, const std::vector<std::string> &arguments,
                             const std::filesystem::path &stderr_file) {
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
    throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  }
  const int err_fd = ::open(stderr_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (err_fd < 0) {
    ::close(pipe_fds[0]);
    ::close(pipe_fds[1]);
    throw std::runtime_error("cannot open " + stderr_file.string() + ": " + std::strerror(errno));
  }
  std::vector<std::string> args{program};
  args.insert(args.end(), arguments.begin(), arguments.end());
  std::vector<char *> argv;
  for (auto &arg : args) {
    argv.push_back(arg.data());
  }
  argv.push_back(nullptr);

  pid_ = ::fork();
  if (pid_ < 0) {
    ::close(pipe_fds[0]);
    ::close(pipe_fds[1]);
    ::close(err_fd);
    throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  }
  if (pid_ == 0) {
    // In the child only async-signal-safe calls until exec.
    ::dup2(pipe_fds[1], STDOUT_FILENO);
    ::dup2(err_fd, STDERR_FILENO);
    ::execv(program.c_str(), argv.data());
    ::_exit(127);
  }
  ::close(pipe_fds[1]);
  ::close(err_fd);
  stdout_fd_ = pipe_fds[0];
}

KillableChild::~KillableChild() {
  if (!reaped_ && pid_ > 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, &wait_status_, 0);
  }
  if (stdout_fd_ >= 0) {
    ::close(stdout_fd_);
  }
}

void KillableChild::pump(std::chrono::steady_clock::time_point deadline) {
  if (eof_) {
    return;
  }
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
  pollfd descriptor{stdout_fd_, POLLIN, 0};
  const int ready = ::poll(&descriptor, 1, static_cast<int>(std::max<long long>(0, left.count())));
  if (ready <= 0) {
    return;
  }
  char chunk[4096];
  const ssize_t got = ::read(stdout_fd_, chunk, sizeof chunk);
  if (got > 0) {
    buffer_.append(chunk, static_cast<std::size_t>(got));
  } else if (got == 0 || errno != EINTR) {
    eof_ = true;
  }
}

std::optional<std::string> KillableChild::read_line(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (const auto newline = buffer_.find('\n'); newline != std::string::npos) {
      std::string line = buffer_.substr(0, newline);
      buffer_.erase(0, newline + 1);
      return line;
    }
    if (eof_ || std::chrono::steady_clock::now() >= deadline) {
      return std::nullopt;
    }
    pump(deadline);
  }
}

void KillableChild::kill() {
  if (!reaped_ && pid_ > 0) {
    ::kill(pid_, SIGKILL);
  }
}

std::vector<std::string> KillableChild::remaining_lines(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!eof_ && std::chrono::steady_clock::now() < deadline) {
    pump(deadline);
  }
  std::vector<std::string> lines;
  while (auto line = read_line(std::chrono::milliseconds(0))) {
    lines.push_back(std::move(*line));
  }
  return lines;
}

int KillableChild::wait(std::chrono::milliseconds timeout) {
  if (reaped_) {
    return wait_status_;
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const pid_t done = ::waitpid(pid_, &wait_status_, WNOHANG);
    if (done == pid_) {
      reaped_ = true;
      return wait_status_;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &wait_status_, 0);
      reaped_ = true;
      return wait_status_;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

} // namespace hearth::test
