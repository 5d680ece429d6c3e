// The shared HTML pieces of persona_html.hpp.
#include "views/persona_html.hpp"
#include "error_texts.hpp"

#include <algorithm>

namespace hearth::dashboards::persona {

std::string text_of(const Poco::JSON::Object::Ptr &object, const std::string &key) {
  if (!object || !object->has(key) || object->isNull(key)) return "";
  try {
    return object->get(key).convert<std::string>();
  } catch (const Poco::Exception &) {
    return ""; // an object or array: not text
  }
}

std::int64_t int_of(const Poco::JSON::Object::Ptr &object, const std::string &key, std::int64_t fallback) {
  if (!object || !object->has(key) || object->isNull(key)) return fallback;
  const auto &value = object->get(key);
  if (!value.isNumeric()) return fallback;
  try {
    return value.convert<std::int64_t>();
  } catch (const Poco::Exception &) {
    return fallback;
  }
}

bool bool_of(const Poco::JSON::Object::Ptr &object, const std::string &key) {
  if (!object || !object->has(key) || object->isNull(key)) return false;
  const auto &value = object->get(key);
  return value.isBoolean() && value.extract<bool>();
}

Poco::JSON::Object::Ptr object_of(const Poco::JSON::Object::Ptr &object, const std::string &key) {
  if (!object || !object->has(key) || object->isNull(key)) return nullptr;
  return object->get(key).type() == typeid(Poco::JSON::Object::Ptr) ? object->getObject(key) : nullptr;
}

Poco::JSON::Array::Ptr array_of(const Poco::JSON::Object::Ptr &object, const std::string &key) {
  if (object && object->has(key) && !object->isNull(key) && object->get(key).type() == typeid(Poco::JSON::Array::Ptr)) {
    return object->getArray(key);
  }
  return new Poco::JSON::Array;
}

Poco::JSON::Object::Ptr answer_of(const CallResult &result) {
  if (!result.ok()) return nullptr;
  try {
    return result.object();
  } catch (const Poco::Exception &) {
    return nullptr;
  } catch (const std::exception &) {
    return nullptr;
  }
}

std::string table_html(const std::string &caption, const std::vector<std::string> &headers,
                       const std::vector<TableRow> &rows, const std::string &empty_text, const std::string &data_test) {
  if (rows.empty()) {
    return "<p class=\"empty\"" + (data_test.empty() ? "" : " data-test=\"" + escape(data_test) + "-empty\"") + ">" +
           escape(empty_text) + "</p>";
  }
  std::string out = "<table" + (data_test.empty() ? "" : " data-test=\"" + escape(data_test) + "\"") + "><caption>" +
                    escape(caption) + "</caption><thead><tr>";
  for (const auto &header : headers) out += "<th scope=\"col\">" + escape(header) + "</th>";
  out += "</tr></thead><tbody>";
  for (const auto &row : rows) {
    out += row.data_test.empty() ? "<tr>" : "<tr data-test=\"" + escape(row.data_test) + "\">";
    for (std::size_t i = 0; i < row.cells_html.size(); ++i) {
      out += (i == 0 ? "<th scope=\"row\">" : "<td>") + row.cells_html[i] + (i == 0 ? "</th>" : "</td>");
    }
    out += "</tr>";
  }
  return out + "</tbody></table>";
}

std::string section_html(const std::string &id, const std::string &heading, const std::string &inner_html) {
  return "<section aria-labelledby=\"" + escape(id) + "\"><h2 id=\"" + escape(id) + "\">" + escape(heading) + "</h2>" +
         inner_html + "</section>";
}

std::string post_form_html(const ViewRequest &request, const std::string &action, const std::string &fields_html,
                           const std::string &button, const std::string &data_test) {
  return "<form method=\"post\" action=\"" + escape(action) + "\"" +
         (data_test.empty() ? "" : " data-test=\"" + escape(data_test) + "\"") + ">" + csrf_field(request.session) +
         fields_html + "<button type=\"submit\">" + escape(button) + "</button></form>";
}

std::string hidden_html(const std::string &name, const std::string &value) {
  return "<input type=\"hidden\" name=\"" + escape(name) + "\" value=\"" + escape(value) + "\">";
}

std::string input_html(const std::string &id, const std::string &name, const std::string &label,
                       const std::string &type, const std::string &value, const std::string &attributes) {
  return "<p class=\"field\"><label for=\"" + escape(id) + "\">" + escape(label) + "</label> <input type=\"" +
         escape(type) + "\" id=\"" + escape(id) + "\" name=\"" + escape(name) + "\" value=\"" + escape(value) + "\"" +
         (attributes.empty() ? "" : " " + attributes) + "></p>";
}

std::string textarea_html(const std::string &id, const std::string &name, const std::string &label,
                          const std::string &value, const std::string &attributes) {
  return "<p class=\"field\"><label for=\"" + escape(id) + "\">" + escape(label) + "</label> <textarea id=\"" +
         escape(id) + "\" name=\"" + escape(name) + "\"" + (attributes.empty() ? "" : " " + attributes) + ">" +
         escape(value) + "</textarea></p>";
}

std::string select_html(const std::string &id, const std::string &name, const std::string &label,
                        const std::vector<std::pair<std::string, std::string>> &options, const std::string &selected,
                        const std::string &attributes) {
  std::string out = "<p class=\"field\"><label for=\"" + escape(id) + "\">" + escape(label) + "</label> <select id=\"" +
                    escape(id) + "\" name=\"" + escape(name) + "\"" + (attributes.empty() ? "" : " " + attributes) + ">";
  for (const auto &[value, text] : options) {
    out += "<option value=\"" + escape(value) + "\"" + (value == selected ? " selected" : "") + ">" + escape(text) +
           "</option>";
  }
  return out + "</select></p>";
}

std::string unavailable_html(const ViewRequest &request, const CallResult &result) {
  std::string reason;
  switch (result.status) {
  case HEARTH_ERROR_NOT_FOUND:
  case HEARTH_ERROR_DENIED:
    reason = request.t("Dit deel is er niet of u mag het niet zien.", "This part does not exist or is not yours to see.");
    break;
  default:
    reason = request.t("Dit deel kon nu niet worden geladen. Probeer het later opnieuw.",
                       "This part could not be loaded now. Please try again later.");
  }
  return "<p role=\"status\" class=\"unavailable\" data-test=\"unavailable\">" + escape(reason) + "</p>";
}

std::string date_of(const ViewRequest &request, const Poco::JSON::Object::Ptr &object, const std::string &key) {
  if (!object || !object->has(key) || object->isNull(key) || !object->get(key).isNumeric()) return "";
  return format_date(int_of(object, key), request.session.lang);
}

std::string case_link_html(const std::string &case_id) {
  return "<a href=\"/dashboard/case?id=" + escape(url_encode(case_id)) + "\">" + escape(case_id) + "</a>";
}

ViewResponse failed_post(const ViewRequest &request, const CallResult &result) {
  if (result.status == HEARTH_ERROR_INVALID_ARGUMENT || result.status == HEARTH_ERROR_CONFLICT) {
    return ViewResponse::bad_request(request, escape(error_text(result.status, result.body, request.session.lang)));
  }
  if (result.status == HEARTH_ERROR_NOT_FOUND || result.status == HEARTH_ERROR_DENIED) {
    return ViewResponse::not_found(request);
  }
  ViewResponse response = ViewResponse::bad_request(
      request, escape(request.t("Dat kon nu niet worden opgeslagen. Probeer het later opnieuw.",
                                "That could not be saved now. Please try again later.")));
  response.status = 503;
  return response;
}

std::string safe_back(const std::string &path, const std::vector<std::string> &allowed, const std::string &fallback) {
  return std::find(allowed.begin(), allowed.end(), path) != allowed.end() ? path : fallback;
}

} // namespace hearth::dashboards::persona
