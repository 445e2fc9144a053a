internal import EnvMonCore
internal import EnvMonStore

/// The JSON an hourly VN_AQI becomes on `<prefix>/aqi/<site>`, for public boards and dashboards:
/// `{"site":"cat_ba_town","sensor":"cb-air-01","hour":"2026-11-29T03:00:00Z","aqi":73,
/// "category":"moderate","colour":"#FFFF00","dominant":"pm25","sub_indices":{"pm25":73,"pm10":41}}`.
enum AQIMessage {
    static func json(_ entry: HourlyAQI) -> String {
        let category = entry.category
        let fields: [(String, String)] = [
            ("site", JSONText.quote(entry.site)), ("sensor", JSONText.quote(entry.sensor)),
            ("hour", JSONText.quote(RFC3339.format(entry.hour))), ("aqi", String(entry.value)),
            ("category", JSONText.quote(category.id)), ("colour", JSONText.quote(category.colour.hex)),
            ("dominant", entry.dominant.map { JSONText.quote($0.rawValue) } ?? "null"),
            ("sub_indices", entry.subIndicesJSON),
        ]
        return "{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
    }
}
