// Signal histories and outcomes, one tenancy at a time.
//
// Most tenancies are quiet. A fifth have a bumpy patch: a month or three of arrears, a
// noise complaint, perhaps a payment arrangement that is kept. About one in seven
// escalate: arrears that grow month by month (reported to the municipality under the Wgs
// once they reach two months' rent), neighbours reporting noise and nuisance, missed
// appointments, repairmen at a closed door. An escalation ends one of three ways:
//   help    - a payment arrangement (and help) is accepted and kept; the signals stop;
//   notice  - an arrangement is broken, the bailiff comes, notice to quit follows;
//   eviction- the same, longer and heavier, ending in an eviction and the tenancy's end.
#include "demo/tenancy_story.hpp"

#include <algorithm>

#include "demo/civil_date.hpp"
#include "demo/demo_random.hpp"

namespace hearth::demo {

namespace {

// Days in a story month.
constexpr std::int64_t month_days = 30;

// How an escalation ends.
enum class Ending : std::uint8_t { help, notice, eviction };

// Appends signals to a story with increasing sequence numbers and plausible times of day.
class StoryWriter {
public:
  StoryWriter(DemoRandom &random, std::uint32_t tenancy, std::vector<DemoSignal> &signals)
      : random_(random), tenancy_(tenancy), signals_(signals) {}

  // Picks up to two neighbours who will report this tenancy's nuisance.
  void choose_reporters(const std::vector<std::uint32_t> &neighbours) {
    for (int i = 0; i < 2 && !neighbours.empty(); ++i) {
      reporters_.push_back(neighbours[random_.below(neighbours.size())]);
    }
  }

  // Adds a signal of `kind` on `day`. Back-office signals fall in office hours; neighbours
  // report in the evening and at night.
  void add(SignalKind kind, std::int64_t day, std::int64_t amount_cents, std::int32_t severity) {
    DemoSignal signal;
    const bool reported = kind == SignalKind::noise || kind == SignalKind::nuisance;
    const std::int64_t minute =
        reported ? random_.between(18 * 60, 26 * 60 - 1) : random_.between(8 * 60, 17 * 60 - 1);
    signal.occurred_at_ms = day * ms_per_day + minute * 60'000;
    signal.amount_cents = amount_cents;
    signal.tenancy = tenancy_;
    signal.sequence = ++sequence_;
    if (reported && !reporters_.empty()) {
      signal.reporter = static_cast<std::int32_t>(reporters_[random_.below(reporters_.size())]);
    }
    signal.severity = std::clamp(severity, 0, 5);
    signal.kind = kind;
    signals_.push_back(signal);
  }

private:
  DemoRandom &random_;
  std::uint32_t tenancy_;
  std::vector<DemoSignal> &signals_;
  std::vector<std::uint32_t> reporters_;
  std::uint32_t sequence_ = 0;
};

// The arrears signal for a debt of `arrears`: the landlord's own early warning below two
// months' rent, reported to the municipality (Wgs) from there on.
void add_arrears(StoryWriter &writer, std::int64_t day, std::int64_t arrears, std::int64_t rent) {
  const bool reported = arrears >= 2 * rent;
  const auto months = static_cast<std::int32_t>(arrears / rent);
  writer.add(reported ? SignalKind::arrears_reported : SignalKind::arrears_early, day, arrears,
             1 + months);
}

// A few incidental signals between `first` and `last`, as any tenancy has.
void add_incidents(DemoRandom &random, StoryWriter &writer, std::int64_t first, std::int64_t last,
                   std::int64_t rent) {
  if (last <= first) {
    return;
  }
  const std::uint64_t draw = random.below(100);
  const int count = draw < 50 ? 0 : draw < 80 ? 1 : draw < 95 ? 2 : 3;
  for (int i = 0; i < count; ++i) {
    const std::int64_t day = random.between(first, last);
    const std::uint64_t what = random.below(100);
    if (what < 35) {
      writer.add(SignalKind::repair_no_access, day, 0, 1);
    } else if (what < 65) {
      writer.add(SignalKind::missed_appointment, day, 0, 1);
    } else if (what < 90) {
      writer.add(SignalKind::arrears_early, day, rent, 1);
    } else {
      writer.add(SignalKind::noise, day, 0, static_cast<std::int32_t>(random.between(1, 2)));
    }
  }
}

// A short episode that passes. Returns the outcome.
DemoOutcome tell_bumpy(DemoRandom &random, StoryWriter &writer, std::int64_t first,
                       std::int64_t rent) {
  const std::int64_t last = history_last_day();
  const std::int64_t start = random.between(first, last - 200);
  add_incidents(random, writer, first, start - 1, rent);
  const auto months = random.between(1, 3);
  std::int64_t arrears = 0;
  for (std::int64_t month = 0; month < months; ++month) {
    arrears += rent;
    add_arrears(writer, start + month * month_days + random.between(3, 9), arrears, rent);
  }
  std::int64_t arrangement_day = -1;
  if (random.chance(400)) {
    arrangement_day = start + months * month_days + random.between(0, 10);
    writer.add(SignalKind::arrangement, arrangement_day, arrears, 2);
  }
  // The rest of the episode falls within its months, before any help is decided on.
  const std::int64_t episode_end = start + months * month_days;
  if (random.chance(300)) {
    const auto reports = random.between(1, 2);
    for (std::int64_t report = 0; report < reports; ++report) {
      writer.add(random.chance(600) ? SignalKind::noise : SignalKind::nuisance,
                 random.between(start, episode_end), 0, static_cast<std::int32_t>(random.between(1, 3)));
    }
  }
  if (random.chance(300)) {
    writer.add(SignalKind::missed_appointment, random.between(start, episode_end), 0, 1);
  }
  if (arrangement_day >= 0 && random.chance(350)) {
    return {OutcomeKind::help_accepted, static_cast<std::int32_t>(arrangement_day + random.between(30, 90))};
  }
  return {OutcomeKind::stable, static_cast<std::int32_t>(last)};
}

// Months of escalation and how they end. Returns the outcome; sets `end_day` when the
// tenancy ended. Returns nothing (and writes nothing) when the window is too short.
bool tell_escalation(DemoRandom &random, StoryWriter &writer, std::int64_t first, std::int64_t rent,
                     DemoOutcome &outcome, std::int32_t &end_day) {
  const std::uint64_t draw = random.below(1000);
  const Ending ending = draw < 450 ? Ending::help : draw < 800 ? Ending::notice : Ending::eviction;
  const std::int64_t turn = ending == Ending::help     ? random.between(3, 8)
                            : ending == Ending::notice ? random.between(6, 12)
                                                       : random.between(8, 14);
  const std::int64_t tail = ending == Ending::eviction ? random.between(2, 6) : 0;
  const std::int64_t latest_start = history_last_day() - (turn + tail + 4) * month_days;
  if (latest_start < first) {
    return false;
  }
  const std::int64_t start = random.between(first, latest_start);
  add_incidents(random, writer, first, start - 1, rent);

  const bool arrears_trouble = random.chance(750);
  const bool nuisance_trouble = !arrears_trouble || random.chance(550);
  const bool hoarding = nuisance_trouble && random.chance(200);
  const std::uint32_t missed_rent = ending == Ending::help ? 500 : ending == Ending::notice ? 650 : 800;
  const std::int64_t most_reports = ending == Ending::help ? 1 : ending == Ending::notice ? 2 : 3;
  const std::int64_t arrangement_month =
      ending != Ending::help && random.chance(700) ? random.between(1, std::max<std::int64_t>(1, turn / 2)) : -1;
  std::int64_t broken_month = -1;
  bool bailiff = false;
  std::int64_t arrears = 0;

  for (std::int64_t month = 0; month < turn + tail; ++month) {
    const std::int64_t base = start + month * month_days;
    const bool late_phase = month * 2 >= turn;
    if (arrears_trouble) {
      // An escalation begins with a missed payment.
      if (month == 0 || random.chance(missed_rent)) {
        arrears += rent;
      } else if (arrears > 0 && random.chance(300)) {
        arrears -= std::min(arrears, rent / 2);
      }
      if (arrears > 0) {
        add_arrears(writer, base + random.between(3, 9), arrears, rent);
      }
      if (month == arrangement_month && arrears > 0) {
        writer.add(SignalKind::arrangement, base + random.between(10, 14), arrears, 2);
        broken_month = month + random.between(1, 3);
      }
      if (month == broken_month) {
        writer.add(SignalKind::arrangement_broken, base + random.between(10, 14), arrears, 3);
      }
      if (ending != Ending::help && !bailiff && late_phase && arrears >= 3 * rent) {
        writer.add(SignalKind::bailiff, base + random.between(15, 27), arrears + arrears * 15 / 100, 4);
        bailiff = true;
      }
    }
    if (nuisance_trouble) {
      // An escalation begins with a report; more follow as it grows.
      const std::int64_t reports =
          random.between(month == 0 ? 1 : 0, most_reports) + (late_phase && ending != Ending::help ? 1 : 0);
      for (std::int64_t report = 0; report < reports; ++report) {
        const auto severity = static_cast<std::int32_t>(
            random.between(late_phase ? 2 : 1, ending == Ending::help ? 3 : ending == Ending::notice ? 4 : 5));
        writer.add(random.chance(600) ? SignalKind::noise : SignalKind::nuisance, base + random.between(0, 29), 0,
                   severity);
      }
      if (hoarding && random.chance(150)) {
        writer.add(SignalKind::hoarding, base + random.between(0, 29), 0,
                   static_cast<std::int32_t>(random.between(3, 4)));
      }
    }
    if (random.chance(250)) {
      writer.add(SignalKind::missed_appointment, base + random.between(0, 29), 0, 2);
    }
    if (random.chance(100)) {
      writer.add(SignalKind::repair_no_access, base + random.between(0, 29), 0, 1);
    }
  }

  const std::int64_t turning_day = start + turn * month_days;
  switch (ending) {
  case Ending::help:
    // Help accepted: an arrangement that is kept, after which the history goes quiet.
    if (arrears > 0) {
      writer.add(SignalKind::arrangement, turning_day + random.between(0, 10), arrears, 2);
    }
    outcome = {OutcomeKind::help_accepted, static_cast<std::int32_t>(turning_day + random.between(30, 90))};
    break;
  case Ending::notice:
    if (arrears_trouble && !bailiff && arrears >= rent) {
      writer.add(SignalKind::bailiff, turning_day - random.between(5, 20), arrears + arrears * 15 / 100, 4);
    }
    outcome = {OutcomeKind::notice_to_quit, static_cast<std::int32_t>(turning_day + random.between(14, 60))};
    break;
  case Ending::eviction:
    if (arrears_trouble && !bailiff && arrears >= rent) {
      writer.add(SignalKind::bailiff, turning_day - random.between(5, 20), arrears + arrears * 15 / 100, 4);
    }
    outcome = {OutcomeKind::eviction,
               static_cast<std::int32_t>(start + (turn + tail) * month_days + random.between(30, 90))};
    end_day = outcome.decided_day;
    break;
  }
  return true;
}

} // namespace

std::int64_t history_first_day() { return day_number(2021, 1, 1); }
std::int64_t history_last_day() { return day_number(2025, 12, 31); }

TenancyStory tell_story(std::uint64_t story_seed, std::uint32_t index,
                        const std::vector<std::uint32_t> &neighbours) {
  DemoRandom random(story_seed);
  TenancyStory story;

  // Most tenancies are older than the history window; some began within it.
  story.tenancy.start_day = static_cast<std::int32_t>(
      random.chance(150) ? random.between(history_first_day(), day_number(2025, 6, 30))
                         : random.between(day_number(1985, 1, 1), history_first_day() - 1));
  const std::uint64_t household = random.below(100);
  story.tenancy.household_size = household < 45 ? 1 : household < 73 ? 2 : household < 88 ? 3 : household < 96 ? 4 : 5;
  story.tenancy.co_tenant = story.tenancy.household_size >= 2 && random.chance(550);
  const std::int64_t rent = random.between(480, 980) * 100 + random.between(0, 99);

  StoryWriter writer(random, index, story.signals);
  writer.choose_reporters(neighbours);
  const std::int64_t first = std::max<std::int64_t>(history_first_day(), story.tenancy.start_day + 30);
  const std::int64_t last = history_last_day();
  const std::uint64_t path = random.below(1000);
  story.outcome = {OutcomeKind::stable, static_cast<std::int32_t>(last)};

  if (path >= 850 && tell_escalation(random, writer, first, rent, story.outcome, story.tenancy.end_day)) {
    story.path = StoryPath::escalating;
  } else if (path >= 640 && last - first >= 240) {
    story.path = StoryPath::bumpy;
    story.outcome = tell_bumpy(random, writer, first, rent);
  } else {
    story.path = StoryPath::quiet;
    add_incidents(random, writer, first, last, rent);
  }
  return story;
}

} // namespace hearth::demo
