import Foundation

/// The report for people: one block per measurement, each figure beside
/// what it is compared with and the target it must meet.
enum ReportTable {
  static func render(_ report: Report) -> String {
    var out = "Parley engine benchmark: \(report.corpus["messages"] ?? 0) messages, "
    out += "\(report.corpus["members"] ?? 0) members, \(report.corpus["threads"] ?? 0) threads, "
    out += "\(report.cores) cores"
    if let rounds = report.packs.first?.rounds, rounds > 1 {
      out += "; each host's median of \(rounds) rounds, ratios the median of each round's"
    }
    out += "\n\n"
    out += pad("pack", 12) + pad("host", 22) + lpad("events/s", 11) + lpad("ns/event", 10)
    out += lpad("vs C", 7) + "  verdicts (allow/flag/hold/remove)\n"
    for pack in report.packs {
      for (host, f) in [
        ("C baseline", pack.cBaseline),
        ("C, \(pack.cBaselineAllThreads.workers) threads", pack.cBaselineAllThreads),
        ("Parley, 1 worker", pack.oneWorker),
        ("Parley, \(pack.allWorkers.workers) workers", pack.allWorkers),
      ] {
        out +=
          pad(pack.pack, 12) + pad(host, 22) + lpad(String(format: "%.0f", f.eventsPerSecond), 11)
        out += lpad(String(format: "%.0f", f.nanosecondsPerEvent), 10)
        out += lpad(String(format: "%.2fx", f.eventsPerSecond / pack.cBaseline.eventsPerSecond), 7)
        out +=
          "  "
          + ["allow", "flag", "hold", "remove"].map { "\(f.verdicts[$0] ?? 0)" }.joined(
            separator: "/")
        out += "\n"
      }
      let host = pack.oneWorker.nanosecondsPerEvent - pack.ruleNanosecondsPerEvent
      out += "  of Parley's \(Int(pack.oneWorker.nanosecondsPerEvent)) ns/event on 1 worker, "
      out +=
        "\(Int(pack.ruleNanosecondsPerEvent)) ns are inside rule calls, \(Int(host)) ns are the host's\n"
      let target = pack.pack == "bench-light" ? 0.67 : 0.9
      out += "  \(pack.pack): 1 worker at \(ratio(pack.oneWorkerVersusC, against: target))x C"
      out += rounds(pack.oneWorkerVersusCRounds)
      out += " (target >= \(target)x: \(pack.oneWorkerVersusC >= target ? "met" : "missed")); "
      out += "scaling \(ratio(pack.scaling, against: 1.7))x" + rounds(pack.scalingRounds)
      out += " (target >= 1.7x: \(pack.scaling >= 1.7 ? "met" : "missed")); verdicts "
      out += pack.verdictsMatch ? "match\n" : "DIFFER\n"
      out += "  the machine's own scaling, C on \(pack.cBaselineAllThreads.workers) threads: "
      out += String(format: "%.2f", pack.cScaling) + "x" + rounds(pack.cScalingRounds) + "\n"
      if let waits = pack.allWorkers.lockWaitsPerEvent,
        let sleeps = pack.allWorkers.lockSleepsPerEvent
      {
        out += "  on \(pack.allWorkers.workers) workers a lock was found taken "
        out += String(format: "%.2f", waits) + " times per event; "
        out += String(format: "%.4f", sleeps) + " per event waited past the spin and slept\n"
      }
      out += "\n"
    }
    if let l = report.latency {
      out += "latency, \(l.pack), \(l.events) events offered at \(Int(l.offeredPerSecond))/s"
      if let share = l.shareOfPeak { out += " (\(Int((share * 100).rounded()))% of peak)" }
      out += ": p50 \(us(l.p50Microseconds)), p99 \(us(l.p99Microseconds)), "
      out += "p99.9 \(us(l.p999Microseconds)), max \(us(l.maxMicroseconds)) "
      out += "(target p99 < 1 ms: \(l.p99Microseconds < 1000 ? "met" : "missed"))\n"
      let alone = l.pacerAlone
      out += "  the same pace with no engine (the machine's and the pacer's own): "
      out += "p50 \(us(alone.p50Microseconds)), p99 \(us(alone.p99Microseconds)), "
      out += "p99.9 \(us(alone.p999Microseconds)), max \(us(alone.maxMicroseconds))\n"
      if l.p99MicrosecondsRounds.count > 1 {
        out += "  p99 in each round: \(l.p99MicrosecondsRounds.map(us).joined(separator: ", "))"
        out += "; the figures above are the median round's and its pacer's\n"
      }
    }
    if let d = report.durable {
      out += "durable, \(d.pack), \(d.events) events, \(d.workers) workers: SQLite "
      out += String(format: "%.0f", d.sqliteEventsPerSecond) + " events/s vs in-memory "
      out +=
        String(format: "%.0f", d.inMemoryEventsPerSecond) + " (\(ratio(d.ratio, against: 0.5))x"
      out += rounds(d.ratioRounds)
      out += "; target >= 0.5x: \(d.ratio >= 0.5 ? "met" : "missed"))\n"
      if let p = d.postgres {
        out += "durable, \(d.pack), \(p.events) events, \(d.workers) workers per host: PostgreSQL "
        out += String(format: "1 host %.0f events/s, ", p.oneHostEventsPerSecond)
        out += String(
          format: "2 hosts %.0f events/s (%.2fx)\n", p.twoHostsEventsPerSecond, p.scaling)
      }
    }
    if let m = report.memory {
      let heaps = m.luaHeapBytesPerWorker.map { mib($0) }.joined(separator: ", ")
      let worst = m.luaHeapBytesPerWorker.max() ?? 0
      out += "memory: Lua heap per worker with \(m.bundledPlugins.count) bundled plugins: \(heaps) "
      out += "(target < 8 MiB: \(worst < 8 << 20 ? "met" : "missed")); "
      out += "C baseline's heap with both packs \(mib(m.cBaselineLuaHeapBytes))\n"
      if let early = m.first?.rssBytes, let late = m.last?.rssBytes {
        out += "        resident memory after 100000 events \(mib(early)), after \(m.events) "
        out += "\(mib(late)) (\(percent(late, over: early)))\n"
      }
      if let early = m.first?.liveHeapBytes, let late = m.last?.liveHeapBytes {
        out += "        live heap (allocated, not freed) after 100000 events \(mib(early)), "
        out += "after \(m.events) \(mib(late)) (\(percent(late, over: early)))\n"
      }
      if m.readings.count > 2 {
        let series = m.readings.map { "\(wholeMiB($0.rssBytes))/\(wholeMiB($0.liveHeapBytes))" }
        out += "        every 100000 events, resident/live MiB: \(series.joined(separator: " "))\n"
      }
    }
    return out
  }

  /// A ratio to two places, or to as many more as it takes not to round it
  /// onto the other side of its target: 1.6996 beside a 1.7 target prints
  /// as 1.6996, not as a 1.70 that was missed.
  static func ratio(_ value: Double, against target: Double) -> String {
    for places in 2...6 {
      let text = String(format: "%.\(places)f", value)
      if let shown = Double(text), (shown >= target) == (value >= target) { return text }
    }
    return String(value)
  }

  /// Each round's ratio, when there was more than one: " (rounds 0.26, 0.28, 0.27)".
  static func rounds(_ ratios: [Double]) -> String {
    guard ratios.count > 1 else { return "" }
    return " (rounds " + ratios.map { String(format: "%.2f", $0) }.joined(separator: ", ") + ")"
  }

  static func pad(_ s: String, _ n: Int) -> String {
    s + String(repeating: " ", count: max(1, n - s.count))
  }
  static func lpad(_ s: String, _ n: Int) -> String {
    String(repeating: " ", count: max(1, n - s.count)) + s
  }
  static func us(_ v: Double) -> String {
    v >= 1000 ? String(format: "%.2f ms", v / 1000) : String(format: "%.0f µs", v)
  }
  static func percent(_ late: Int, over early: Int) -> String {
    String(format: "%+.1f%%", Double(late - early) / Double(early) * 100)
  }
  static func wholeMiB(_ bytes: Int?) -> String { bytes.map { "\($0 >> 20)" } ?? "?" }
  static func mib(_ bytes: Int) -> String { String(format: "%.1f MiB", Double(bytes) / 1_048_576) }
}
