#include "isolation/wire_values.hpp"

#include <charconv>
#include <cstddef>
#include <cstring>
#include <iterator>
#include <sstream>
#include <system_error>

#include <Poco/Base64Decoder.h>
#include <Poco/Base64Encoder.h>
#include <Poco/Exception.h>

#include "isolation/frame.hpp"

namespace hearth::isolation {
namespace {

// The smallest event the bus accepts (what ABI 1.0 had: everything up to `payload`).
constexpr std::uint32_t kEventWithPayload = offsetof(hearth_event, payload) + sizeof(const char *);
// A migration large enough to carry sql_postgresql.
constexpr std::uint32_t kMigrationWithPostgresql = offsetof(hearth_migration, sql_postgresql) + sizeof(const char *);

std::string to_base64(const char *data, std::size_t size) {
  std::ostringstream out;
  Poco::Base64Encoder encoder(out);
  encoder.rdbuf()->setLineLength(0);
  encoder.write(data, static_cast<std::streamsize>(size));
  encoder.close();
  return out.str();
}

std::string from_base64(const std::string &text) {
  std::istringstream in(text);
  Poco::Base64Decoder decoder(in);
  return std::string(std::istreambuf_iterator<char>(decoder), std::istreambuf_iterator<char>());
}

std::string double_to_text(double value) {
  char buffer[64];
  const auto written = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, written.ptr);
}

double double_from_text(const std::string &text) {
  double value = 0;
  const auto read = std::from_chars(text.data(), text.data() + text.size(), value);
  if (read.ec != std::errc() || read.ptr != text.data() + text.size()) {
    throw ProtocolError("a DOUBLE value '" + text + "' is not a number");
  }
  return value;
}

// Sets `name` to `text` when it is not NULL.
void set_text(Poco::JSON::Object &json, const char *name, const char *text) {
  if (text != nullptr) {
    json.set(name, std::string(text));
  }
}

// The string field `name` kept in `store`, or NULL when absent.
const char *keep_text(const Poco::JSON::Object &json, const std::string &name, std::deque<std::string> &store) {
  if (!json.has(name) || json.isNull(name)) {
    return nullptr;
  }
  store.push_back(json.getValue<std::string>(name));
  return store.back().c_str();
}

} // namespace

Poco::JSON::Object::Ptr value_to_json(const hearth_value &value) {
  Poco::JSON::Object::Ptr json = new Poco::JSON::Object;
  json->set("t", value.type);
  switch (value.type) {
  case HEARTH_VALUE_INT64: json->set("i", value.int64); break;
  case HEARTH_VALUE_DOUBLE: json->set("r", double_to_text(value.real)); break;
  case HEARTH_VALUE_TEXT:
    if (value.data == nullptr) {
      json->set("n", value.size);
    } else {
      json->set("s", std::string(value.data, value.size != 0 ? value.size : std::strlen(value.data)));
    }
    break;
  case HEARTH_VALUE_BLOB:
    if (value.data == nullptr) {
      json->set("n", value.size);
    } else {
      json->set("b", to_base64(value.data, value.size));
    }
    break;
  default: break; // NULL, or a type code the runtime will name as unknown
  }
  return json;
}

Poco::JSON::Array::Ptr values_to_json(const hearth_value *values, std::uint32_t count) {
  Poco::JSON::Array::Ptr json = new Poco::JSON::Array;
  for (std::uint32_t i = 0; i < count; ++i) {
    json->add(value_to_json(values[i]));
  }
  return json;
}

ValuesCopy::ValuesCopy(const Poco::JSON::Array &json) {
  values_.reserve(json.size());
  try {
    for (std::size_t i = 0; i < json.size(); ++i) {
      const auto item = json.getObject(static_cast<unsigned>(i));
      if (!item) {
        throw ProtocolError("value " + std::to_string(i) + " is not an object");
      }
      hearth_value value{};
      value.type = item->getValue<std::uint32_t>("t");
      if (item->has("i")) {
        value.int64 = item->getValue<std::int64_t>("i");
      } else if (item->has("r")) {
        value.real = double_from_text(item->getValue<std::string>("r"));
      } else if (item->has("s")) {
        bytes_.push_back(item->getValue<std::string>("s"));
        value.data = bytes_.back().c_str();
        value.size = bytes_.back().size();
      } else if (item->has("b")) {
        bytes_.push_back(from_base64(item->getValue<std::string>("b")));
        value.data = bytes_.back().data();
        value.size = bytes_.back().size();
      } else if (item->has("n")) {
        value.size = item->getValue<std::uint64_t>("n");
      }
      values_.push_back(value);
    }
  } catch (const Poco::Exception &failure) {
    throw ProtocolError("a value is malformed: " + failure.displayText());
  }
}

Poco::JSON::Array::Ptr names_to_json(const char *const *names, std::uint32_t count) {
  Poco::JSON::Array::Ptr json = new Poco::JSON::Array;
  for (std::uint32_t i = 0; i < count; ++i) {
    json->add(std::string(names[i] != nullptr ? names[i] : ""));
  }
  return json;
}

NamesCopy::NamesCopy(const Poco::JSON::Array &json) {
  for (std::size_t i = 0; i < json.size(); ++i) {
    names_.push_back(json.getElement<std::string>(static_cast<unsigned>(i)));
    pointers_.push_back(names_.back().c_str());
  }
}

Poco::JSON::Object::Ptr event_to_json(const hearth_event &event, bool delivered) {
  Poco::JSON::Object::Ptr json = new Poco::JSON::Object;
  json->set("struct_size", event.struct_size);
  if (event.struct_size >= kEventWithPayload) {
    json->set("flags", event.flags);
    json->set("occurred_at_ms", event.occurred_at_ms);
    set_text(*json, "type", event.type);
    set_text(*json, "subject", event.subject);
    set_text(*json, "payload", event.payload);
  }
  if (delivered) {
    set_text(*json, "source", event.source);
    json->set("sequence", event.sequence);
  }
  return json;
}

EventCopy::EventCopy(const Poco::JSON::Object &json) {
  try {
    view_.struct_size = json.optValue<std::uint32_t>("struct_size", 0);
    view_.flags = json.optValue<std::uint32_t>("flags", 0);
    view_.occurred_at_ms = json.optValue<std::int64_t>("occurred_at_ms", 0);
    view_.sequence = json.optValue<std::uint64_t>("sequence", 0);
    const auto text = [&](const char *name, std::string &store) -> const char * {
      if (!json.has(name) || json.isNull(name)) {
        return nullptr;
      }
      store = json.getValue<std::string>(name);
      return store.c_str();
    };
    view_.type = text("type", type_);
    view_.subject = text("subject", subject_);
    view_.source = text("source", source_);
    view_.payload = text("payload", payload_);
  } catch (const Poco::Exception &failure) {
    throw ProtocolError("an event is malformed: " + failure.displayText());
  }
}

Poco::JSON::Array::Ptr migrations_to_json(const hearth_migration *const *migrations, std::uint32_t count) {
  Poco::JSON::Array::Ptr json = new Poco::JSON::Array;
  for (std::uint32_t i = 0; i < count; ++i) {
    const hearth_migration *m = migrations[i];
    if (m == nullptr) {
      json->add(Poco::Dynamic::Var());
      continue;
    }
    Poco::JSON::Object::Ptr item = new Poco::JSON::Object;
    item->set("struct_size", m->struct_size);
    if (m->struct_size >= kMigrationWithPostgresql) {
      item->set("version", m->version);
      set_text(*item, "description", m->description);
      set_text(*item, "sql", m->sql);
      set_text(*item, "sql_postgresql", m->sql_postgresql);
    }
    json->add(item);
  }
  return json;
}

MigrationsCopy::MigrationsCopy(const Poco::JSON::Array &json) {
  try {
    for (std::size_t i = 0; i < json.size(); ++i) {
      const auto item = json.getObject(static_cast<unsigned>(i));
      if (!item) {
        pointers_.push_back(nullptr);
        continue;
      }
      hearth_migration m{};
      m.struct_size = item->optValue<std::uint32_t>("struct_size", 0);
      m.version = item->optValue<std::uint32_t>("version", 0);
      m.description = keep_text(*item, "description", texts_);
      m.sql = keep_text(*item, "sql", texts_);
      m.sql_postgresql = keep_text(*item, "sql_postgresql", texts_);
      migrations_.push_back(m);
      pointers_.push_back(&migrations_.back());
    }
  } catch (const Poco::Exception &failure) {
    throw ProtocolError("a migration is malformed: " + failure.displayText());
  }
}

} // namespace hearth::isolation
