#include "isolation/child_process.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

namespace hearth::isolation {
namespace {

// The child's fd number for its end of the socket (hearth-plugin-host --fd 3).
constexpr int kChildSocketFd = 3;

std::runtime_error start_failure(const std::filesystem::path &executable, const std::string &what, int error) {
  return std::runtime_error("cannot start the plugin host " + executable.string() + ": " + what + ": " +
                            std::strerror(error));
}

} // namespace

ChildProcess::ChildProcess(const std::filesystem::path &host_executable, const std::filesystem::path &module,
                           Mode mode) {
  int ends[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ends) != 0) {
    throw start_failure(host_executable, "socketpair", errno);
  }
  // A close-on-exec copy above the low numbers, so that dup2() onto fd 3 always makes a new
  // descriptor (and so clears close-on-exec) in the child.
  const int child_end = ::fcntl(ends[1], F_DUPFD_CLOEXEC, 10);
  const int dup_error = errno;
  ::close(ends[1]);
  if (child_end < 0) {
    ::close(ends[0]);
    throw start_failure(host_executable, "fcntl", dup_error);
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, child_end, kChildSocketFd);

  const std::string program = host_executable.string();
  const std::string module_path = module.string();
  std::vector<std::string> arguments{program, "--fd", std::to_string(kChildSocketFd), "--module", module_path};
  if (mode == Mode::describe) {
    arguments.emplace_back("--describe");
  }
  std::vector<char *> argv;
  for (auto &argument : arguments) {
    argv.push_back(argument.data());
  }
  argv.push_back(nullptr);
  const int spawned = ::posix_spawn(&pid_, program.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(child_end);
  if (spawned != 0) {
    ::close(ends[0]);
    throw start_failure(host_executable, "posix_spawn", spawned);
  }
  socket_ = ends[0];
}

ChildProcess::~ChildProcess() {
  kill();
  close_socket();
}

void ChildProcess::close_socket() {
  if (socket_ >= 0) {
    ::close(socket_);
    socket_ = -1;
  }
}

std::optional<std::uint64_t> ChildProcess::resident_bytes() const {
  if (reaped_ || pid_ <= 0) {
    return std::nullopt;
  }
  std::ifstream statm("/proc/" + std::to_string(pid_) + "/statm");
  std::uint64_t size_pages = 0, resident_pages = 0;
  if (!(statm >> size_pages >> resident_pages)) {
    return std::nullopt;
  }
  return resident_pages * static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
}

bool ChildProcess::reap(bool block) {
  if (reaped_ || pid_ <= 0) {
    return true;
  }
  for (;;) {
    const pid_t result = ::waitpid(pid_, &wait_status_, block ? 0 : WNOHANG);
    if (result < 0 && errno == EINTR) {
      continue;
    }
    if (result == pid_ || (result < 0 && errno == ECHILD)) {
      // ECHILD: someone else reaped it (a SIGCHLD handler set to SIG_IGN); say nothing more.
      reaped_ = true;
      return true;
    }
    return false;
  }
}

bool ChildProcess::wait_for_exit(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!reap(false)) {
    if (std::chrono::steady_clock::now() >= deadline) {
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return true;
}

void ChildProcess::kill() {
  if (reaped_ || pid_ <= 0) {
    return;
  }
  if (!reap(false)) {
    ::kill(pid_, SIGKILL);
    reap(true);
  }
}

std::string ChildProcess::ending() const {
  if (!reaped_) {
    return "still running";
  }
  if (WIFSIGNALED(wait_status_)) {
    const int signal_number = WTERMSIG(wait_status_);
    return "signal " + std::to_string(signal_number) + " (" + ::strsignal(signal_number) + ")";
  }
  if (WIFEXITED(wait_status_)) {
    return "exit status " + std::to_string(WEXITSTATUS(wait_status_));
  }
  return "an unknown ending";
}

bool ChildProcess::ended_badly() const {
  return reaped_ && (WIFSIGNALED(wait_status_) || (WIFEXITED(wait_status_) && WEXITSTATUS(wait_status_) != 0));
}

} // namespace hearth::isolation
