// The event bus through the C API: events for one subject reach a plugin in publish
// order even when several threads publish at once; bad events are refused naming the
// field; drain waits for delivery.
#include <thread>

#include <gtest/gtest.h>

#include "runtime_fixture.hpp"

namespace hearth::test {
namespace {

int32_t publish_ping(hearth_runtime *runtime, const std::string &subject, int counter, std::string *error_text = nullptr) {
  const std::string payload = std::to_string(counter);
  hearth_event event{};
  event.struct_size = sizeof event;
  event.type = "nl.hearth.test.ping/1";
  event.subject = subject.c_str();
  event.payload = payload.c_str();
  Message error;
  const int32_t status = hearth_runtime_publish(runtime, &event, error.out());
  if (error_text != nullptr) {
    *error_text = error.str();
  }
  return status;
}

TEST(EventBus, PerSubjectOrderHoldsUnderConcurrentPublishers) {
  RuntimeFixture fixture({"test_good"});
  fixture.open_and_load();
  constexpr int kThreads = 4;
  constexpr int kSubjectsPerThread = 5;
  constexpr int kEventsPerSubject = 200;
  std::vector<std::thread> publishers;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    publishers.emplace_back([&, t] {
      for (int n = 1; n <= kEventsPerSubject; ++n) {
        for (int s = 0; s < kSubjectsPerThread; ++s) {
          if (publish_ping(fixture.runtime(), "tenancy:" + std::to_string(t) + "-" + std::to_string(s), n) != HEARTH_OK) {
            ++failures;
          }
        }
      }
    });
  }
  for (auto &p : publishers) {
    p.join();
  }
  ASSERT_EQ(failures.load(), 0);
  ASSERT_EQ(hearth_runtime_drain(fixture.runtime(), 30000), HEARTH_OK);
  std::string answer;
  ASSERT_EQ(fixture.query("nl.hearth.test.good", "stats", answer), HEARTH_OK) << answer;
  const int total = kThreads * kSubjectsPerThread * kEventsPerSubject;
  EXPECT_NE(answer.find("\"events\":" + std::to_string(total)), std::string::npos) << answer;
  EXPECT_NE(answer.find("\"rows\":" + std::to_string(total)), std::string::npos) << answer;
  EXPECT_NE(answer.find("\"out_of_order\":0"), std::string::npos) << answer;
}

TEST(EventBus, EventsWithoutTypeOrSubjectAreRefused) {
  RuntimeFixture fixture({"test_good"});
  fixture.open_and_load();
  std::string error;
  EXPECT_EQ(publish_ping(fixture.runtime(), "", 1, &error), HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(error, "event.subject: missing");

  hearth_event no_type{};
  no_type.struct_size = sizeof no_type;
  no_type.subject = "tenancy:1";
  Message message;
  EXPECT_EQ(hearth_runtime_publish(fixture.runtime(), &no_type, message.out()), HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(message.str(), "event.type: missing");

  hearth_event too_small{};
  too_small.struct_size = 8;
  Message small_message;
  EXPECT_EQ(hearth_runtime_publish(fixture.runtime(), &too_small, small_message.out()), HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(small_message.str().find("event.struct_size"), std::string::npos);

  ASSERT_EQ(hearth_runtime_drain(fixture.runtime(), 10000), HEARTH_OK);
  std::string answer;
  ASSERT_EQ(fixture.query("nl.hearth.test.good", "stats", answer), HEARTH_OK);
  EXPECT_NE(answer.find("\"events\":0"), std::string::npos) << "nothing refused may be delivered: " << answer;
}

TEST(EventBus, EventsOfOtherTypesAreNotDelivered) {
  RuntimeFixture fixture({"test_good"});
  fixture.open_and_load();
  hearth_event other{};
  other.struct_size = sizeof other;
  other.type = "com.example.crm.note/1";
  other.subject = "tenancy:9";
  ASSERT_EQ(hearth_runtime_publish(fixture.runtime(), &other, nullptr), HEARTH_OK);
  ASSERT_EQ(publish_ping(fixture.runtime(), "tenancy:9", 1), HEARTH_OK);
  ASSERT_EQ(hearth_runtime_drain(fixture.runtime(), 10000), HEARTH_OK);
  std::string answer;
  ASSERT_EQ(fixture.query("nl.hearth.test.good", "stats", answer), HEARTH_OK);
  EXPECT_NE(answer.find("\"events\":1,"), std::string::npos) << answer;
}

} // namespace
} // namespace hearth::test
