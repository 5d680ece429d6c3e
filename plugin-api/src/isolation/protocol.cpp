#include "isolation/protocol.hpp"

#include <Poco/JSON/Array.h>

#include "isolation/frame.hpp"

namespace hearth::isolation {
namespace {

Poco::JSON::Array::Ptr to_array(const std::vector<std::string> &items) {
  Poco::JSON::Array::Ptr array = new Poco::JSON::Array;
  for (const auto &item : items) {
    array->add(item);
  }
  return array;
}

std::vector<std::string> from_array(const Poco::JSON::Object &json, const std::string &name) {
  std::vector<std::string> items;
  if (const auto array = json.getArray(name)) {
    for (std::size_t i = 0; i < array->size(); ++i) {
      items.push_back(array->getElement<std::string>(static_cast<unsigned>(i)));
    }
  }
  return items;
}

} // namespace

std::string text_field(const Poco::JSON::Object &frame, const std::string &name) {
  const auto value = frame.get(name);
  return value.type() == typeid(std::string) ? value.extract<std::string>() : std::string();
}

Poco::JSON::Object::Ptr descriptor_to_json(const loader::DescriptorCopy &descriptor) {
  Poco::JSON::Object::Ptr json = new Poco::JSON::Object;
  json->set("id", descriptor.id);
  json->set("name", descriptor.name);
  json->set("vendor", descriptor.vendor);
  json->set("version", descriptor.version);
  json->set("description", descriptor.description);
  json->set("kind", descriptor.kind);
  json->set("features", to_array(descriptor.features));
  json->set("dependencies", to_array(descriptor.dependencies));
  return json;
}

loader::DescriptorCopy descriptor_from_json(const Poco::JSON::Object &json) {
  loader::DescriptorCopy descriptor;
  descriptor.id = text_field(json, "id");
  descriptor.name = text_field(json, "name");
  descriptor.vendor = text_field(json, "vendor");
  descriptor.version = text_field(json, "version");
  descriptor.description = text_field(json, "description");
  descriptor.kind = json.optValue<std::uint32_t>("kind", HEARTH_PLUGIN_KIND_OTHER);
  descriptor.features = from_array(json, "features");
  descriptor.dependencies = from_array(json, "dependencies");
  return descriptor;
}

Poco::JSON::Object::Ptr description_to_json(const ModuleDescription &description) {
  Poco::JSON::Object::Ptr json = new Poco::JSON::Object;
  json->set("type", std::string("hello"));
  json->set("accepted", description.accepted);
  json->set("status", description.status);
  json->set("message", description.message);
  json->set("abi_major", description.abi_major);
  json->set("abi_minor", description.abi_minor);
  json->set("descriptor", descriptor_to_json(description.descriptor));
  return json;
}

ModuleDescription description_from_json(const Poco::JSON::Object &hello) {
  if (text_field(hello, "type") != "hello") {
    throw ProtocolError("the plugin host's first frame is not a hello");
  }
  try {
    ModuleDescription description;
    description.accepted = hello.getValue<bool>("accepted");
    description.status = hello.getValue<std::int32_t>("status");
    description.message = text_field(hello, "message");
    description.abi_major = hello.getValue<std::uint32_t>("abi_major");
    description.abi_minor = hello.getValue<std::uint32_t>("abi_minor");
    if (const auto descriptor = hello.getObject("descriptor")) {
      description.descriptor = descriptor_from_json(*descriptor);
    }
    return description;
  } catch (const Poco::Exception &failure) {
    throw ProtocolError("the plugin host's hello is malformed: " + failure.displayText());
  }
}

Poco::JSON::Object::Ptr actor_to_json(const hearth_actor &actor) {
  Poco::JSON::Object::Ptr json = new Poco::JSON::Object;
  json->set("emergency", actor.emergency);
  json->set("user", std::string(actor.user != nullptr ? actor.user : ""));
  json->set("role", std::string(actor.role != nullptr ? actor.role : ""));
  json->set("organisation", std::string(actor.organisation != nullptr ? actor.organisation : ""));
  if (actor.on_behalf_of != nullptr) {
    json->set("on_behalf_of", std::string(actor.on_behalf_of));
  }
  json->set("access_point", std::string(actor.access_point != nullptr ? actor.access_point : ""));
  return json;
}

ActorCopy::ActorCopy(const Poco::JSON::Object &json)
    : user(text_field(json, "user")), role(text_field(json, "role")),
      organisation(text_field(json, "organisation")), on_behalf_of(text_field(json, "on_behalf_of")),
      access_point(text_field(json, "access_point")), has_on_behalf_of(json.has("on_behalf_of")) {
  actor.struct_size = sizeof(hearth_actor);
  actor.emergency = json.optValue<std::uint32_t>("emergency", 0);
  actor.user = user.c_str();
  actor.role = role.c_str();
  actor.organisation = organisation.c_str();
  actor.on_behalf_of = has_on_behalf_of ? on_behalf_of.c_str() : nullptr;
  actor.access_point = access_point.c_str();
}

} // namespace hearth::isolation
