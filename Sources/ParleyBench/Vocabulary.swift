/// The words the synthetic corpus is made of: a router maker's support
/// community, in the sentences its members write.
enum Vocabulary {
  static let firstNames = [
    "Ada", "Bob", "Carol", "Dave", "Erin", "Femi", "Gita", "Hugo", "Ines", "Jon", "Kai", "Lena",
    "Mia", "Nick", "Omar", "Priya", "Quinn", "Rex", "Sam", "Tess",
  ]
  static let lastNames = [
    "Lovelace", "Okafor", "Reyes", "Kowalski", "Jensen", "Natarajan", "Moreau", "Ortiz", "Vance",
    "Silva", "Nakamura", "Haddad",
  ]
  static let products = ["AX3000", "mesh node", "range extender", "admin app", "2.1 firmware"]
  static let problems = [
    "keeps rebooting every few hours", "drops the 5 GHz band at night",
    "will not pair with my phone",
    "shows the orange light after the update", "loses the guest network settings",
    "is slow when more than four devices stream",
  ]
  static let advice = [
    "Turning off Smart Connect under Wireless settings fixed it for me.",
    "Try a factory reset, then restore your saved configuration.",
    "Moving the mesh node away from the microwave helped a lot here.",
    "Support told me the 2.1.3 hotfix solves exactly this.",
    "Check that the channel width is 80 MHz, not 160.",
  ]
  static let mentions = [
    "@ada", "@bob_o", "@carol", "@dave", "@erin", "@femi", "@gita", "@hugo", "@everyone",
  ]
  static let promotions = [
    "Huge discount on the AX3000 this week only, buy now before it is gone",
    "Use promo code MESH20 for a limited offer on mesh kits",
    "Free shipping on every range extender ordered today",
  ]
  static let shouts = [
    "WHY DOES THE ROUTER STILL REBOOT AFTER THREE SUPPORT CALLS",
    "THIS UPDATE BROKE EVERYTHING AND NOBODY ANSWERS",
  ]

  static func name(_ i: Int, _ random: inout SplitMix64) -> String {
    "\(random.pick(firstNames)) \(random.pick(lastNames)) \(i)"
  }

  static func title(_ random: inout SplitMix64) -> String {
    "My \(random.pick(products)) \(random.pick(problems))"
  }

  static func text(_ kind: String, _ random: inout SplitMix64) -> String {
    switch kind {
    case "question":
      return
        "Since last week my \(random.pick(products)) \(random.pick(problems)). Has anyone found a fix?"
    case "link":
      return
        "\(random.pick(advice)) The guide is at https://support.example.org/kb/\(random.next(9000))"
    case "promotion": return random.pick(promotions)
    case "mentions":
      let names = (0..<(2 + random.next(5))).map { _ in random.pick(mentions) }
      return names.joined(separator: " ") + " could one of you check whether your "
        + random.pick(products) + " has the same problem?"
    case "shouting": return random.pick(shouts)
    case "short reply":
      return random.pick(["Thanks!", "Same here.", "That worked, thank you", "+1"])
    case "personal details":
      return
        "Call me on 555-013-\(1000 + random.next(9000)) or write to jo\(random.next(99))@example.org"
    case "repeated characters": return "Finally fixed!!!!!!!! Thank you sooooooo much everyone"
    case "long post":
      return (0..<(10 + random.next(5))).map { _ in random.pick(advice) }.joined(separator: " ")
    case "blocked word": return "Whoever designed this admin app is an idiot, it is a scam"
    default:
      return "My \(random.pick(products)) \(random.pick(problems)). \(random.pick(advice))"
    }
  }
}
