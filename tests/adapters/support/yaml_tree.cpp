#include "yaml_tree.hpp"

#include <fstream>
#include <map>
#include <memory>
#include <regex>
#include <sstream>
#include <vector>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <yaml.h>

namespace hearth::test {
namespace {

// Owns a yaml_parser_t.
class Parser {
public:
  explicit Parser(const std::string &text) : text_(text) {
    if (yaml_parser_initialize(&parser_) == 0) {
      throw YamlError("yaml: cannot initialise the parser");
    }
    yaml_parser_set_input_string(&parser_, reinterpret_cast<const unsigned char *>(text_.data()), text_.size());
  }
  ~Parser() { yaml_parser_delete(&parser_); }
  Parser(const Parser &) = delete;
  Parser &operator=(const Parser &) = delete;

  // The next event; the caller deletes it (Event below).
  void next(yaml_event_t &event) {
    if (yaml_parser_parse(&parser_, &event) == 0) {
      std::ostringstream message;
      message << "yaml: " << (parser_.problem != nullptr ? parser_.problem : "syntax error") << " at line "
              << parser_.problem_mark.line + 1;
      throw YamlError(message.str());
    }
  }

private:
  std::string text_;
  yaml_parser_t parser_{};
};

// Owns one event.
struct Event {
  yaml_event_t value{};
  ~Event() { yaml_event_delete(&value); }
};

Poco::Dynamic::Var plain_scalar(const std::string &text) {
  static const std::regex integer(R"(^[-+]?[0-9]+$)");
  static const std::regex decimal(R"(^[-+]?([0-9]+\.[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$|^[-+]?[0-9]+[eE][-+]?[0-9]+$)");
  if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL") {
    return Poco::Dynamic::Var();
  }
  if (text == "true" || text == "True" || text == "TRUE") {
    return true;
  }
  if (text == "false" || text == "False" || text == "FALSE") {
    return false;
  }
  if (std::regex_match(text, integer)) {
    try {
      return static_cast<Poco::Int64>(std::stoll(text));
    } catch (const std::exception &) {
      return text;
    }
  }
  if (std::regex_match(text, decimal)) {
    return std::stod(text);
  }
  return text;
}

class TreeBuilder {
public:
  explicit TreeBuilder(Parser &parser) : parser_(parser) {}

  // Reads the node starting with `event`.
  Poco::Dynamic::Var node(const yaml_event_t &event) {
    switch (event.type) {
    case YAML_SCALAR_EVENT: {
      const std::string text(reinterpret_cast<const char *>(event.data.scalar.value), event.data.scalar.length);
      Poco::Dynamic::Var value =
          event.data.scalar.style == YAML_PLAIN_SCALAR_STYLE ? plain_scalar(text) : Poco::Dynamic::Var(text);
      remember(event.data.scalar.anchor, value);
      return value;
    }
    case YAML_ALIAS_EVENT: {
      const std::string name(reinterpret_cast<const char *>(event.data.alias.anchor));
      const auto found = anchors_.find(name);
      if (found == anchors_.end()) {
        throw YamlError("yaml: unknown alias *" + name);
      }
      return found->second;
    }
    case YAML_SEQUENCE_START_EVENT: {
      Poco::JSON::Array::Ptr array = new Poco::JSON::Array;
      remember(event.data.sequence_start.anchor, array);
      for (;;) {
        Event item;
        parser_.next(item.value);
        if (item.value.type == YAML_SEQUENCE_END_EVENT) {
          return array;
        }
        array->add(node(item.value));
      }
    }
    case YAML_MAPPING_START_EVENT: {
      Poco::JSON::Object::Ptr object = new Poco::JSON::Object;
      remember(event.data.mapping_start.anchor, object);
      for (;;) {
        Event key;
        parser_.next(key.value);
        if (key.value.type == YAML_MAPPING_END_EVENT) {
          return object;
        }
        const Poco::Dynamic::Var key_value = node(key.value);
        Event value;
        parser_.next(value.value);
        object->set(key_value.isEmpty() ? std::string("null") : key_value.convert<std::string>(), node(value.value));
      }
    }
    default:
      throw YamlError("yaml: unexpected event");
    }
  }

  Poco::Dynamic::Var document() {
    Poco::Dynamic::Var result;
    for (;;) {
      Event event;
      parser_.next(event.value);
      switch (event.value.type) {
      case YAML_STREAM_START_EVENT:
      case YAML_DOCUMENT_START_EVENT:
      case YAML_DOCUMENT_END_EVENT:
        break;
      case YAML_STREAM_END_EVENT:
        return result;
      default:
        result = node(event.value);
      }
    }
  }

private:
  void remember(const yaml_char_t *anchor, const Poco::Dynamic::Var &value) {
    if (anchor != nullptr) {
      anchors_[reinterpret_cast<const char *>(anchor)] = value;
    }
  }

  Parser &parser_;
  std::map<std::string, Poco::Dynamic::Var> anchors_;
};

} // namespace

Poco::Dynamic::Var load_yaml_text(const std::string &text) {
  Parser parser(text);
  TreeBuilder builder(parser);
  return builder.document();
}

Poco::Dynamic::Var load_yaml_file(const std::filesystem::path &file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    throw YamlError("yaml: cannot read " + file.string());
  }
  std::ostringstream text;
  text << in.rdbuf();
  try {
    return load_yaml_text(text.str());
  } catch (const YamlError &error) {
    throw YamlError(file.filename().string() + ": " + error.what());
  }
}

} // namespace hearth::test
