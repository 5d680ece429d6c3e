// EarlyWarningEmbed.java — embedding Hearth in Java through its C API (hearth/host.h), with
// JNA (Debian: libjna-java, /usr/share/java/jna.jar).
//
//   javac -cp /usr/share/java/jna.jar -d classes EarlyWarningEmbed.java
//   java -cp /usr/share/java/jna.jar:classes EarlyWarningEmbed LIBHEARTH CONFIG_SOURCE
//
// LIBHEARTH is the runtime library (e.g. /usr/lib/libhearth.so.1); the bundled plugins are
// loaded from lib/hearth/plugins next to it. CONFIG_SOURCE is Hearth's default configuration
// folder (share/hearth/config when installed; config/ in the sources), for the rule set.
//
// The same steps as examples/python: open a runtime on a scratch folder, store a unit and a
// tenancy, ingest one signal (rent arrears of EUR 2,000 from yesterday), read the tenancy's
// early-warning flag as its housing consultant ("flags.for-tenancy"), and see another
// consultant get HEARTH_ERROR_NOT_FOUND. Exits 0 when all of that held, 1 with "FAIL: ..."
// otherwise.
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

public final class EarlyWarningEmbed {

  static final int HEARTH_OK = 0;
  static final int HEARTH_ERROR_NOT_FOUND = -2;
  static final String EARLY_WARNING = "nl.hearth.early-warning";

  /** The host.h functions used here. Text out-parameters are freed with hearth_free. */
  public interface HearthLibrary extends Library {
    void hearth_free(Pointer pointer);

    String hearth_status_name(int status);

    int hearth_runtime_open(String configDir, PointerByReference runtime, PointerByReference error);

    int hearth_runtime_load_plugins(Pointer runtime, PointerByReference error);

    int hearth_runtime_put_records(Pointer runtime, Actor actor, String recordsJson,
                                   IntByReference stored, PointerByReference error);

    int hearth_runtime_ingest(Pointer runtime, Actor actor, Pointer[] signals, int count,
                              IngestResult result, PointerByReference error);

    int hearth_runtime_drain(Pointer runtime, int timeoutMs);

    int hearth_runtime_call(Pointer runtime, Actor actor, String pluginId, String operation,
                            String argsJson, PointerByReference result, PointerByReference error);

    void hearth_runtime_close(Pointer runtime);
  }

  /** struct hearth_actor (hearth/actor.h): who a call is made for. */
  @Structure.FieldOrder({"struct_size", "emergency", "user", "role", "organisation",
      "on_behalf_of", "access_point"})
  public static class Actor extends Structure {
    public int struct_size;
    public int emergency;
    public String user;
    public String role;
    public String organisation;
    public String on_behalf_of;
    public String access_point;

    Actor(String role, String user) {
      this.role = role;
      this.user = user;
      this.organisation = "corp:example";
      this.access_point = "example:java";
      this.struct_size = size();
    }
  }

  /** struct hearth_signal (hearth/signals.h). */
  @Structure.FieldOrder({"struct_size", "reserved", "source", "external_id", "type", "detail",
      "tenancy_id", "occurred_at_ms", "amount_cents", "severity", "reserved2", "legal_basis",
      "purpose", "reporter_user"})
  public static class Signal extends Structure {
    public int struct_size;
    public int reserved;
    public String source;
    public String external_id;
    public String type;
    public String detail;
    public String tenancy_id;
    public long occurred_at_ms;
    public long amount_cents;
    public int severity;
    public int reserved2;
    public String legal_basis;
    public String purpose;
    public String reporter_user;

    Signal() {
      struct_size = size();
    }
  }

  /** struct hearth_ingest_result (hearth/signals.h). */
  @Structure.FieldOrder({"struct_size", "accepted", "duplicates", "rejected", "first_rejected",
      "reserved", "first_sequence", "last_sequence"})
  public static class IngestResult extends Structure {
    public int struct_size;
    public int accepted;
    public int duplicates;
    public int rejected;
    public int first_rejected;
    public int reserved;
    public long first_sequence;
    public long last_sequence;

    IngestResult() {
      struct_size = size();
    }
  }

  /** A step did not do what this example expects. */
  static final class Failed extends Exception {
    private static final long serialVersionUID = 1L;

    Failed(String message) {
      super(message);
    }
  }

  private final HearthLibrary hearth;

  EarlyWarningEmbed(HearthLibrary hearth) {
    this.hearth = hearth;
  }

  /** Copies library-allocated text and frees it with hearth_free(); null for NULL. */
  String take(PointerByReference text) {
    Pointer pointer = text.getValue();
    if (pointer == null) {
      return null;
    }
    String copy = pointer.getString(0, StandardCharsets.UTF_8.name());
    hearth.hearth_free(pointer);
    text.setValue(null);
    return copy;
  }

  /** Throws Failed unless status is HEARTH_OK; frees the error text either way. */
  void check(int status, PointerByReference error, String what) throws Failed {
    String message = error == null ? null : take(error);
    if (status != HEARTH_OK) {
      throw new Failed(what + ": " + hearth.hearth_status_name(status) + " (" + status + "): " + message);
    }
  }

  /** The status of hearth_runtime_call and the answer (on HEARTH_OK) or the reason. */
  record CallResult(int status, String text) {}

  CallResult call(Pointer runtime, Actor actor, String operation, String argsJson) {
    PointerByReference result = new PointerByReference();
    PointerByReference error = new PointerByReference();
    int status = hearth.hearth_runtime_call(runtime, actor, EARLY_WARNING, operation, argsJson,
        result, error);
    String answer = take(result);
    String reason = take(error);
    return new CallResult(status, status == HEARTH_OK ? answer : reason);
  }

  /** The first string value of `key` in `json` (enough for this example's checks). */
  static String field(String json, String key) throws Failed {
    Matcher matcher = Pattern.compile("\"" + Pattern.quote(key) + "\":\"([^\"]*)\"").matcher(json);
    if (!matcher.find()) {
      throw new Failed("no \"" + key + "\" in " + json);
    }
    return matcher.group(1);
  }

  void run(Path configSource) throws Failed, IOException {
    Path scratch = Files.createTempDirectory("hearth-java-example-");
    try {
      Files.writeString(scratch.resolve("hearth.ini"), String.join("\n",
          "[runtime]",
          "data_dir = " + scratch.resolve("data"),
          "[plugins]",
          "bundled = true",
          "[plugin.nl.hearth.early-warning]",
          "rule_set = " + configSource.resolve("scoring/default.ini"),
          "protected_attributes = " + configSource.resolve("scoring/protected-attributes.txt"),
          "[plugin.nl.hearth.coordinator-handoff]",
          "config_dir = " + configSource.resolve("handoff"),
          ""));
      PointerByReference runtimeOut = new PointerByReference();
      PointerByReference error = new PointerByReference();
      check(hearth.hearth_runtime_open(scratch.toString(), runtimeOut, error), error, "open");
      Pointer runtime = runtimeOut.getValue();
      try {
        check(hearth.hearth_runtime_load_plugins(runtime, error), error, "load plugins");

        Actor system = new Actor("system", "system:example");
        String records = "[{\"kind\":\"unit\",\"id\":\"unit-1\",\"street\":\"Voorbeeldstraat\","
            + "\"house_number\":\"1\",\"neighbourhood_code\":\"BU03630000\"},"
            + "{\"kind\":\"tenancy\",\"id\":\"T-1\",\"unit_id\":\"unit-1\","
            + "\"start_date\":\"2020-01-01\",\"portfolio_owner\":\"consultant-1\"}]";
        IntByReference stored = new IntByReference();
        check(hearth.hearth_runtime_put_records(runtime, system, records, stored, error), error,
            "put records");
        System.out.println("stored " + stored.getValue() + " records");

        Signal signal = new Signal();
        signal.source = "example:java";
        signal.external_id = "debt-1";
        signal.type = "SCH";
        signal.detail = "BET";
        signal.tenancy_id = "T-1";
        signal.occurred_at_ms = System.currentTimeMillis() - 86_400_000L;
        signal.amount_cents = 200_000;
        signal.legal_basis = "avg-6-1-f";
        signal.purpose = "early-warning";
        signal.write();
        IngestResult outcome = new IngestResult();
        check(hearth.hearth_runtime_ingest(runtime, system, new Pointer[] {signal.getPointer()}, 1,
            outcome, error), error, "ingest");
        if (outcome.accepted != 1) {
          throw new Failed("ingest accepted " + outcome.accepted + " signals, not 1");
        }
        System.out.println("ingested 1 signal: rent arrears of EUR 2,000");
        check(hearth.hearth_runtime_drain(runtime, 30_000), null, "drain");

        CallResult mine = call(runtime, new Actor("housing_consultant", "consultant-1"),
            "flags.for-tenancy", "{\"tenancy_id\":\"T-1\",\"lang\":\"en\"}");
        if (mine.status() != HEARTH_OK) {
          throw new Failed("flags.for-tenancy: status " + mine.status() + ": " + mine.text());
        }
        String current = mine.text().substring(mine.text().indexOf("\"current\""));
        String level = field(current, "level");
        if (!level.equals("amber")) {
          throw new Failed("expected an amber flag, got: " + mine.text());
        }
        String flags = mine.text().substring(mine.text().indexOf("\"flags\""));
        System.out.println("tenancy T-1: " + level + "; flag " + field(flags, "id") + " is "
            + field(flags, "status"));

        CallResult other = call(runtime, new Actor("housing_consultant", "consultant-2"),
            "flags.for-tenancy", "{\"tenancy_id\":\"T-1\"}");
        if (other.status() != HEARTH_ERROR_NOT_FOUND) {
          throw new Failed("another consultant got status " + other.status() + ": " + other.text());
        }
        System.out.println("another consultant: not found (" + other.text() + ")");
      } finally {
        hearth.hearth_runtime_close(runtime);
      }
    } finally {
      try (Stream<Path> walk = Files.walk(scratch)) {
        walk.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
  }

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: java EarlyWarningEmbed LIBHEARTH CONFIG_SOURCE");
      System.exit(2);
    }
    HearthLibrary library = Native.load(Path.of(args[0]).toAbsolutePath().toString(), HearthLibrary.class);
    try {
      new EarlyWarningEmbed(library).run(Path.of(args[1]).toAbsolutePath());
    } catch (Failed failure) {
      System.err.println("FAIL: " + failure.getMessage());
      System.exit(1);
    }
    System.out.println("PASS");
  }
}
