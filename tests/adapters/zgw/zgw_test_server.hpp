// A small Zaken API + Notificaties component on loopback for the ZGW adapter's tests,
// built on Poco::Net::HTTPServer. It keeps zaken, statussen and rollen in memory,
// answers with bodies shaped like fixtures/zgw/zaken-api-1.5.1.yaml (the tests validate
// them against the schemas), checks every call's ZGW JWT and CRS headers like the real
// API, and — as the notification component — delivers a `Message` to the subscriber's
// callback (with the subscription's Authorization) whenever a zaak or status is created.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <Poco/JSON/Object.h>

namespace Poco::Net {
class HTTPServer;
}

namespace hearth::test {

// One request the server received.
struct RecordedCall {
  std::string method;
  std::string path;  // without the query
  std::string query; // raw, without '?'
  std::string body;
  int status = 0;    // what the server answered
};

class ZgwTestServer {
public:
  // `client_id` and `secret`: the only ZGW client the server accepts.
  ZgwTestServer(std::string client_id, std::string secret);
  // The same over https, presenting the certificate and key in these PEM files (made at
  // run time by make_test_certificate); zaken_api() then starts with "https://".
  ZgwTestServer(std::string client_id, std::string secret, const std::string &certificate_file,
                const std::string &key_file);
  ~ZgwTestServer();
  ZgwTestServer(const ZgwTestServer &) = delete;
  ZgwTestServer &operator=(const ZgwTestServer &) = delete;

  std::uint16_t port() const { return port_; }
  // "http://127.0.0.1:<port>/zaken/api/v1" (https for a TLS server)
  std::string zaken_api() const;

  // The API goes down: the listening socket is closed, so connections are refused (what
  // is stored stays). come_back() listens again on the same port. [test thread]
  void go_down();
  void come_back();

  // Stores a zaak as the municipality's case system would and returns its url. Publishes
  // a notification (resource "zaak", actie "create") when a subscriber is set.
  std::string add_zaak(const std::string &zaaktype, const std::string &startdatum,
                       const std::vector<std::pair<std::string, std::string>> &kenmerken,
                       const std::string &bronorganisatie = "002220647");
  // The zaak stored under `url`, or null.
  Poco::JSON::Object::Ptr zaak(const std::string &url) const;
  // Replaces a stored zaak's JSON (to serve malformed or unusual objects).
  void replace_zaak_text(const std::string &url, const std::string &raw_json);

  // The notification component's subscription: every later create is sent to
  // `callback_url` with header `Authorization: <authorization>`.
  void subscribe(const std::string &callback_url, const std::string &authorization);
  // Sends `message` (a Message JSON) to the subscriber now; returns the HTTP status.
  int deliver(const std::string &message_json, const std::string &authorization);
  // A Message for `resource` at `resource_url` of zaak `zaak_url`.
  std::string message_for(const std::string &zaak_url, const std::string &resource, const std::string &resource_url,
                          const std::string &actie) const;
  // Waits until every queued notification was delivered; returns their statuses in order.
  std::vector<int> wait_for_deliveries();

  // Failure injection, each for the next matching call(s) only.
  void drop_answer_of_next(const std::string &method, const std::string &collection); // stores, then drops the connection
  // Answers the next `times` matching calls with `status` (a Fout body), with a
  // Retry-After header when `retry_after` is not empty.
  void fail_next(const std::string &method, const std::string &collection, int status, int times = 1,
                 const std::string &retry_after = "");
  // Resets the connection (TCP RST, nothing stored, no answer) of the next `times`
  // matching calls.
  void reset_next(const std::string &method, const std::string &collection, int times = 1);
  // Forgets every failure still planned: the next calls are answered normally.
  void clear_failures();

  // Everything received so far, in order; and the created objects by collection.
  std::vector<RecordedCall> calls() const;
  std::size_t count(const std::string &collection) const; // objects stored in "zaken", "statussen", "rollen"
  std::vector<Poco::JSON::Object::Ptr> objects(const std::string &collection) const;
  // Every answer body the server sent with status 2xx, with the schema name it follows
  // ("Zaak", "Status", "Rol", "PaginatedZaakList", ...), for conformance checks.
  std::vector<std::pair<std::string, std::string>> answers() const;
  // Every notification body delivered, for conformance checks against `Message`.
  std::vector<std::string> delivered_messages() const;

  // Request handling, public for the server's handler class only.
  struct Reply {
    int status = 200;
    std::string body;
    std::string schema;   // the schema of `body` for answers()
    std::string location; // Location header
    bool drop = false;    // close the connection without answering
    bool reset = false;   // reset the connection without answering
    std::string retry_after{}; // Retry-After header
  };
  Reply handle(const std::string &method, const std::string &path, const std::string &query,
               const std::map<std::string, std::string> &headers, const std::string &body);

private:
  Reply handle_locked(const std::string &method, const std::string &path, const std::string &query,
                      const std::map<std::string, std::string> &headers, const std::string &body);
  Reply create(const std::string &collection, const std::string &body);
  Reply list(const std::string &collection, const std::string &query) const;
  std::string url_of(const std::string &collection, const std::string &uuid) const;
  void publish_locked(const std::string &zaak_url, const std::string &resource, const std::string &resource_url);
  void delivery_loop();

  std::string client_id_, secret_;
  void listen(std::uint16_t port);

  std::unique_ptr<Poco::Net::HTTPServer> server_;
  std::uint16_t port_ = 0;
  std::string certificate_file_, key_file_; // empty: plain http

  mutable std::mutex mutex_;
  std::map<std::string, std::map<std::string, Poco::JSON::Object::Ptr>> store_; // collection -> uuid -> object
  std::map<std::string, std::string> raw_zaken_;                                // url -> replaced text
  std::vector<RecordedCall> calls_;
  std::vector<std::pair<std::string, std::string>> answers_;
  struct Failure {
    int status = 500;
    int remaining = 1;
    std::string retry_after;
  };
  std::map<std::string, Failure> fail_next_; // "POST statussen" -> what to answer, how often
  std::map<std::string, int> reset_next_;    // "POST zaken" -> how often
  std::map<std::string, bool> drop_next_;  // "POST zaken"
  std::uint64_t counter_ = 0;

  std::string callback_url_, callback_authorization_;
  std::deque<std::string> outbox_;
  std::vector<int> delivered_statuses_;
  std::vector<std::string> delivered_messages_;
  std::size_t in_flight_ = 0;
  bool stopping_ = false;
  std::condition_variable outbox_changed_;
  std::thread delivery_;
};

} // namespace hearth::test
