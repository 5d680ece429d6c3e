// The encoding of storage values, events and migrations between a plugin's child and the
// runtime (isolation/wire_values.hpp): every value survives the JSON text exactly, and
// what the runtime's host table checks (NULL pointers, type codes, sizes) is kept, so that
// it refuses bad input from an isolated plugin as it does from an in-process one.
#include <cmath>
#include <cstring>
#include <limits>
#include <sstream>
#include <string>

#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <gtest/gtest.h>

#include "isolation/frame.hpp"
#include "isolation/wire_values.hpp"

namespace hearth::isolation {
namespace {

// What the other side reads: the JSON as text and parsed again.
template <class Json> Poco::Dynamic::Var through_text(const Json &json) {
  std::ostringstream text;
  Poco::JSON::Stringifier::condense(json, text);
  return Poco::JSON::Parser().parse(text.str());
}

Poco::JSON::Array::Ptr array_through_text(const Poco::JSON::Array::Ptr &array) {
  return through_text(array).extract<Poco::JSON::Array::Ptr>();
}

hearth_value text_value(const char *data, std::uint64_t size) {
  hearth_value value{};
  value.type = HEARTH_VALUE_TEXT;
  value.data = data;
  value.size = size;
  return value;
}

TEST(WireValues, EveryKindOfValueSurvivesExactly) {
  const std::string blob_bytes = [] {
    std::string bytes;
    for (int i = 0; i < 256; ++i) bytes.push_back(static_cast<char>(i));
    return bytes;
  }();
  hearth_value values[9]{};
  values[0].type = HEARTH_VALUE_NULL;
  values[1].type = HEARTH_VALUE_INT64;
  values[1].int64 = std::numeric_limits<std::int64_t>::min();
  values[2].type = HEARTH_VALUE_INT64;
  values[2].int64 = std::numeric_limits<std::int64_t>::max();
  values[3].type = HEARTH_VALUE_DOUBLE;
  values[3].real = 0.1 + 0.2;
  values[4].type = HEARTH_VALUE_DOUBLE;
  values[4].real = std::numeric_limits<double>::quiet_NaN();
  values[5].type = HEARTH_VALUE_DOUBLE;
  values[5].real = -std::numeric_limits<double>::infinity();
  values[6] = text_value("měřítko \"quoted\"\n", 0); // size 0: measured with strlen()
  values[7].type = HEARTH_VALUE_BLOB;
  values[7].data = blob_bytes.data();
  values[7].size = blob_bytes.size();
  values[8] = text_value("abcdef", 3); // only the first `size` bytes

  const ValuesCopy copy(*array_through_text(values_to_json(values, 9)));
  ASSERT_EQ(copy.size(), 9u);
  const hearth_value *out = copy.data();
  EXPECT_EQ(out[0].type, HEARTH_VALUE_NULL);
  EXPECT_EQ(out[1].int64, std::numeric_limits<std::int64_t>::min());
  EXPECT_EQ(out[2].int64, std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(out[3].real, 0.1 + 0.2) << "every bit of a double";
  EXPECT_TRUE(std::isnan(out[4].real));
  EXPECT_EQ(out[5].real, -std::numeric_limits<double>::infinity());
  EXPECT_EQ(out[6].type, HEARTH_VALUE_TEXT);
  EXPECT_EQ(std::string(out[6].data, out[6].size), "měřítko \"quoted\"\n");
  EXPECT_EQ(out[6].data[out[6].size], '\0') << "TEXT is NUL-terminated on output";
  EXPECT_EQ(out[7].type, HEARTH_VALUE_BLOB);
  EXPECT_EQ(std::string(out[7].data, out[7].size), blob_bytes);
  EXPECT_EQ(std::string(out[8].data, out[8].size), "abc");
}

TEST(WireValues, WhatTheRuntimeChecksIsKeptAsGiven) {
  hearth_value values[3]{};
  values[0] = text_value(nullptr, 4); // TEXT without data
  values[1].type = HEARTH_VALUE_BLOB; // BLOB without data but with a size
  values[1].size = 9;
  values[2].type = 77; // a type code this runtime does not know
  const ValuesCopy copy(*array_through_text(values_to_json(values, 3)));
  const hearth_value *out = copy.data();
  EXPECT_EQ(out[0].type, HEARTH_VALUE_TEXT);
  EXPECT_EQ(out[0].data, nullptr);
  EXPECT_EQ(out[0].size, 4u);
  EXPECT_EQ(out[1].data, nullptr);
  EXPECT_EQ(out[1].size, 9u);
  EXPECT_EQ(out[2].type, 77u);
}

TEST(WireValues, AValueThatIsNotAnObjectIsAProtocolError) {
  Poco::JSON::Array array;
  array.add(5);
  EXPECT_THROW(ValuesCopy{array}, ProtocolError);
  Poco::JSON::Array bad_double;
  Poco::JSON::Object::Ptr value = new Poco::JSON::Object;
  value->set("t", 2);
  value->set("r", std::string("twelve"));
  bad_double.add(value);
  EXPECT_THROW(ValuesCopy{bad_double}, ProtocolError);
}

TEST(WireValues, ColumnNamesSurvive) {
  const char *names[] = {"n", "body", "amount"};
  const NamesCopy copy(*array_through_text(names_to_json(names, 3)));
  EXPECT_STREQ(copy.data()[0], "n");
  EXPECT_STREQ(copy.data()[2], "amount");
}

TEST(WireValues, AnEventKeepsItsFieldsAndItsMissingOnes) {
  hearth_event event{};
  event.struct_size = sizeof event;
  event.occurred_at_ms = 1'700'000'000'123;
  event.type = "nl.test.ping/1";
  event.subject = "tenancy:5f2c";
  event.payload = nullptr;
  event.source = "nl.test.other";
  event.sequence = 42;
  const EventCopy published(*through_text(event_to_json(event, false)).extract<Poco::JSON::Object::Ptr>());
  EXPECT_EQ(published.view().struct_size, sizeof event);
  EXPECT_EQ(published.view().occurred_at_ms, 1'700'000'000'123);
  EXPECT_STREQ(published.view().type, "nl.test.ping/1");
  EXPECT_STREQ(published.view().subject, "tenancy:5f2c");
  EXPECT_EQ(published.view().payload, nullptr);
  EXPECT_EQ(published.view().source, nullptr) << "a publisher's source is the bus's to set";
  EXPECT_EQ(published.view().sequence, 0u);

  const EventCopy delivered(*through_text(event_to_json(event, true)).extract<Poco::JSON::Object::Ptr>());
  EXPECT_STREQ(delivered.view().source, "nl.test.other");
  EXPECT_EQ(delivered.view().sequence, 42u);

  // A struct too small for the fields: they are not read, and the size goes as given.
  hearth_event small = event;
  small.struct_size = 8;
  const EventCopy too_small(*through_text(event_to_json(small, false)).extract<Poco::JSON::Object::Ptr>());
  EXPECT_EQ(too_small.view().struct_size, 8u);
  EXPECT_EQ(too_small.view().type, nullptr);
}

TEST(WireValues, MigrationsKeepNullsAndSizes) {
  const hearth_migration first{sizeof(hearth_migration), 1, "create", "CREATE TABLE t (a INTEGER)",
                               "CREATE TABLE t (a BIGINT)"};
  const hearth_migration no_sql{sizeof(hearth_migration), 2, nullptr, nullptr, nullptr};
  hearth_migration small{};
  small.struct_size = 4;
  const hearth_migration *list[] = {&first, nullptr, &no_sql, &small};
  const MigrationsCopy copy(*array_through_text(migrations_to_json(list, 4)));
  ASSERT_EQ(copy.size(), 4u);
  EXPECT_EQ(copy.data()[0]->version, 1u);
  EXPECT_STREQ(copy.data()[0]->description, "create");
  EXPECT_STREQ(copy.data()[0]->sql, "CREATE TABLE t (a INTEGER)");
  EXPECT_STREQ(copy.data()[0]->sql_postgresql, "CREATE TABLE t (a BIGINT)");
  EXPECT_EQ(copy.data()[1], nullptr);
  EXPECT_EQ(copy.data()[2]->sql, nullptr);
  EXPECT_EQ(copy.data()[2]->description, nullptr);
  EXPECT_EQ(copy.data()[3]->struct_size, 4u);
}

} // namespace
} // namespace hearth::isolation
