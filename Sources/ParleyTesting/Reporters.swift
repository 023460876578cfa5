import Foundation
import Parley

/// The formats `parley test` can write.
public enum SpecReporter: String, Sendable, CaseIterable {
  /// For people: quiet when green, precise when red.
  case pretty
  /// Test Anything Protocol, version 13.
  case tap
  /// JUnit XML, as CI tools read it.
  case junit

  /// Renders a run. `color` adds ANSI colours (pretty only).
  public func render(_ run: SpecRun, color: Bool = false, coverage: Bool = false) -> String {
    switch self {
    case .pretty: PrettyReport(color: color).render(run, coverage: coverage)
    case .tap: TAPReport.render(run)
    case .junit: JUnitReport.render(run)
    }
  }
}

struct PrettyReport {
  var color: Bool

  private func paint(_ text: String, _ code: String) -> String {
    color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
  }

  func render(_ run: SpecRun, coverage: Bool) -> String {
    var out: [String] = []
    for problem in run.problems {
      out.append(paint("error", "1;31") + " \(problem)")
    }
    if !run.problems.isEmpty {
      out.append("\nNo specs ran: fix the problems above (`parley check` shows them all).")
      return out.joined(separator: "\n") + "\n"
    }
    for result in run.failures {
      guard let failure = result.failure else { continue }
      out.append(paint("FAIL", "1;31") + " \(result.spec.plugin) › \(result.spec.name)")
      out.append("  \(failure.location ?? result.spec.location): \(failure.message)")
      if let traceback = failure.traceback {
        out.append(traceback.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
      }
      if let explanation = failure.explanation {
        out.append("  last decision:")
        out.append(explanation.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
      }
      out.append("  spec: \(result.spec.location)")
      out.append("")
    }
    if coverage { out.append(CoverageReport.render(run.coverage, paint: paint)) }
    let seconds =
      Double(run.elapsed.components.seconds) + Double(run.elapsed.components.attoseconds) / 1e18
    let passed = run.results.count - run.failures.count
    let summary =
      "\(passed) passed, \(run.failures.count) failed, \(run.results.count) specs"
      + String(format: " in %.2fs", seconds) + " (seed \(run.seed))"
    out.append(run.failures.isEmpty ? paint(summary, "32") : paint(summary, "1;31"))
    return out.joined(separator: "\n") + "\n"
  }
}

enum CoverageReport {
  static func render(_ coverage: Coverage, paint: (String, String) -> String = { text, _ in text })
    -> String
  {
    let percent = Int(coverage.percent.rounded(.down))
    var out = [
      "rule coverage: \(percent)% (\(coverage.fired.count) of \(coverage.entries.count) rules fired)"
    ]
    for entry in coverage.entries {
      let count = String(entry.specs)
      let line =
        "  " + String(repeating: " ", count: max(0, 4 - count.count)) + count
        + "  \(entry.rule.name)  (\(entry.rule.location))"
      out.append(entry.specs == 0 ? paint(line + "  never fired", "33") : line)
    }
    if !coverage.unfired.isEmpty {
      out.append(
        "rules no spec fires: " + coverage.unfired.map(\.rule.name).joined(separator: ", ")
          + "; add an it(...) that makes each propose something")
    }
    return out.joined(separator: "\n") + "\n"
  }
}

enum TAPReport {
  static func render(_ run: SpecRun) -> String {
    var out = ["TAP version 13"]
    if !run.problems.isEmpty {
      out.append("1..0")
      out.append(contentsOf: run.problems.map { "Bail out! \($0)" })
      return out.joined(separator: "\n") + "\n"
    }
    out.append("1..\(run.results.count)")
    for (i, result) in run.results.enumerated() {
      let name = "\(result.spec.plugin) \(result.spec.name)".replacingOccurrences(
        of: "#", with: "\\#")
      guard let failure = result.failure else {
        out.append("ok \(i + 1) - \(name)")
        continue
      }
      out.append("not ok \(i + 1) - \(name)")
      out.append("  ---")
      out.append("  message: \(yaml(failure.message))")
      out.append("  at: \(yaml(failure.location ?? result.spec.location))")
      out.append("  spec: \(yaml(result.spec.location))")
      if let explanation = failure.explanation {
        out.append("  decision: |")
        out.append(contentsOf: explanation.split(separator: "\n").map { "    " + $0 })
      }
      out.append("  ...")
    }
    return out.joined(separator: "\n") + "\n"
  }

  static func yaml(_ text: String) -> String {
    "\""
      + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(
        of: "\"", with: "\\\""
      )
      .replacingOccurrences(of: "\n", with: "\\n") + "\""
  }
}

enum JUnitReport {
  static func render(_ run: SpecRun) -> String {
    var out = [#"<?xml version="1.0" encoding="UTF-8"?>"#]
    let total = run.results.count + run.problems.count
    let failures = run.failures.count
    out.append(
      #"<testsuites name="parley" tests="\#(total)" failures="\#(failures)" errors="\#(run.problems.count)" time="\#(seconds(run.elapsed))">"#
    )
    if !run.problems.isEmpty {
      out.append(
        #"  <testsuite name="load" tests="\#(run.problems.count)" failures="0" errors="\#(run.problems.count)">"#
      )
      for problem in run.problems {
        out.append(#"    <testcase classname="load" name="\#(escape(problem.file))">"#)
        out.append(#"      <error message="\#(escape(problem.description))"/>"#)
        out.append("    </testcase>")
      }
      out.append("  </testsuite>")
    }
    var files: [String] = []
    for result in run.results where !files.contains(result.spec.file) {
      files.append(result.spec.file)
    }
    for file in files {
      let results = run.results.filter { $0.spec.file == file }
      let failed = results.filter { !$0.passed }.count
      let time = results.reduce(Duration.zero) { $0 + $1.duration }
      out.append(
        #"  <testsuite name="\#(escape(file))" tests="\#(results.count)" failures="\#(failed)" errors="0" time="\#(seconds(time))">"#
      )
      for result in results {
        let open =
          #"    <testcase classname="\#(escape(result.spec.plugin))" name="\#(escape(result.spec.name))" file="\#(escape(result.spec.file))" time="\#(seconds(result.duration))""#
        guard let failure = result.failure else {
          out.append(open + "/>")
          continue
        }
        out.append(open + ">")
        let location = failure.location ?? result.spec.location
        var body = "\(location): \(failure.message)"
        if let explanation = failure.explanation { body += "\nlast decision:\n" + explanation }
        out.append(
          #"      <failure message="\#(escape(failure.message))" type="assertion">\#(escape(body))</failure>"#
        )
        out.append("    </testcase>")
      }
      out.append("  </testsuite>")
    }
    out.append("</testsuites>")
    return out.joined(separator: "\n") + "\n"
  }

  static func seconds(_ duration: Duration) -> String {
    String(
      format: "%.3f",
      Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
  }

  static func escape(_ text: String) -> String {
    var out = ""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&apos;"
      case "\n", "\t", "\r": out += "&#\(scalar.value);"
      default:
        // XML 1.0 forbids most control characters, even escaped.
        if scalar.value < 0x20 || (0xFFFE...0xFFFF).contains(scalar.value) {
          out += "\u{FFFD}"
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out
  }
}
