import Foundation

/// Writes a new plugin folder that `parley test` and `parley check` accept at
/// once: a manifest, one rule, one passing spec, a README, and a `.luarc.json`
/// that points the Lua language server at Parley's annotations (`docs/lua`).
public enum PluginScaffold {
  public enum Failure: Error, CustomStringConvertible {
    case badName(String)
    case exists(String)
    case cannotWrite(String, String)

    public var description: String {
      switch self {
      case .badName(let name):
        "'\(name)' is not a plugin name: use lower-case letters, digits and hyphens, e.g. 'link-limits'"
      case .exists(let path): "\(path) already exists; pick another name or remove it first"
      case .cannotWrite(let path, let why): "cannot write \(path): \(why)"
      }
    }
  }

  /// Creates `folder/name` and returns the files written.
  @discardableResult
  public static func create(name: String, in folder: URL) throws(Failure) -> [String] {
    let valid =
      !name.isEmpty && name.first!.isLetter
      && name.allSatisfy { ($0.isLetter && $0.isLowercase) || $0.isNumber || $0 == "-" }
    guard valid, name.allSatisfy(\.isASCII) else { throw .badName(name) }
    let root = folder.appendingPathComponent(name)
    guard !FileManager.default.fileExists(atPath: root.path) else {
      throw .exists(root.relativePath)
    }
    let ruleID = "first-rule"
    let files: [(String, String)] = [
      (
        "plugin.lua",
        """
        -- The manifest: what this plugin is, which events its rules listen to, its settings.
        return {
          name = "\(name)",
          version = "0.1.0",
          description = "Describe in one line what this plugin is for",
          events = { "message_posted" },
          failure = "open", -- a failing rule lets the content through; "closed" holds it for review
          settings = {
            max_links = { type = "integer", default = 2, description = "Links allowed in one message" },
          },
          rules = { "rules.lua" },
        }

        """
      ),
      (
        "rules.lua",
        """
        -- Flags messages with more links than the community allows.
        rule {
          id = "\(ruleID)",
          on = "message_posted",
          description = "Flags messages with more links than the max_links setting allows",
          ---@param event ParleyEvent
          ---@param ctx ParleyContext
          check = function(event, ctx)
            local _, links = event.message.text:gsub("https?://", "")
            if links > ctx.settings.max_links then
              return flag("more than " .. ctx.settings.max_links .. " links in one message")
            end
          end,
        }

        """
      ),
      (
        "spec/\(name.replacingOccurrences(of: "-", with: "_"))_spec.lua",
        """
        describe("\(name)", function()
          before_each(function()
            host.member{ id = "ada", name = "Ada", trust = 2 }
          end)

          it("lets an ordinary message through", function()
            local d = host.post{ author = "ada", text = "Has anyone tried the new firmware?" }
            assert.equals("allow", d.verdict)
          end)

          it("flags a message with too many links", function()
            local d = host.post{ author = "ada", text = "http://a.example http://b.example http://c.example" }
            assert.equals("flag", d.verdict)
            assert.equals("\(ruleID)", d.rule)
          end)
        end)

        """
      ),
      (
        ".luarc.json",
        """
        {
          "runtime": {
            "version": "Lua 5.4",
            "builtin": { "io": "disable", "os": "disable", "debug": "disable", "package": "disable", "coroutine": "disable" }
          },
          "workspace": { "library": ["../../docs/lua"], "checkThirdParty": false }
        }

        """
      ),
      (
        "README.md",
        """
        # \(name)

        Describe what the plugin enforces and why.

        | Rule | What it does |
        | --- | --- |
        | `\(ruleID)` | Flags messages with more links than `max_links` allows. |

        | Setting | Type | Default |
        | --- | --- | --- |
        | `max_links` | integer | 2 |

        Run its specs with `parley test plugins/\(name)`; check it with `parley check plugins/\(name)`.

        """
      ),
    ]
    var written: [String] = []
    for (path, text) in files {
      let url = root.appendingPathComponent(path)
      do {
        try FileManager.default.createDirectory(
          at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
      } catch {
        throw .cannotWrite(url.relativePath, error.localizedDescription)
      }
      written.append(url.relativePath)
    }
    return written
  }
}
