/// `/api/v1/openapi.json`: the API's contract (OpenAPI 3.1; its schemas are JSON Schema 2020-12,
/// which the tests validate every answer against). Field names are the CLI's JSON ones.
enum OpenAPIDocument {
    static let json = #"""
        {
          "openapi": "3.1.0",
          "info": {
            "title": "EnvMon Cát Hải API",
            "version": "1",
            "description": "Read access to the EnvMon store of the Cát Hải monitoring network: the same records and field names as `envmon --format json`. Times are RFC 3339 UTC; `from`/`to` also take a date (midnight UTC+7) or a relative time such as -24h."
          },
          "servers": [{"url": "/api/v1"}],
          "paths": {
            "/sites": {"get": {"summary": "Configured sites with their worst current state", "responses": {"200": {"description": "Sites", "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Site"}}}}}}}},
            "/sensors": {"get": {"summary": "Configured and reporting sensors (envmon sensors)", "responses": {"200": {"description": "Sensors", "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Sensor"}}}}}}}},
            "/latest": {"get": {"summary": "Newest value of every series (envmon latest)", "parameters": [{"$ref": "#/components/parameters/site"}, {"$ref": "#/components/parameters/sensor"}], "responses": {"200": {"description": "Latest values", "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Latest"}}}}}, "404": {"$ref": "#/components/responses/NotFound"}, "400": {"$ref": "#/components/responses/BadRequest"}}}},
            "/series": {"get": {"summary": "One series: roll-up buckets or raw readings (envmon query)", "parameters": [
              {"name": "sensor", "in": "query", "required": true, "schema": {"type": "string"}},
              {"name": "metric", "in": "query", "required": true, "schema": {"type": "string"}},
              {"name": "from", "in": "query", "schema": {"type": "string"}, "description": "Default: 24 h before `to`."},
              {"name": "to", "in": "query", "schema": {"type": "string"}, "description": "Default: now."},
              {"name": "every", "in": "query", "schema": {"enum": ["raw", "1m", "1h", "1d"]}, "description": "Default: the finest roll-up giving at most 5,000 buckets. At most 10,000 points are returned."},
              {"name": "agg", "in": "query", "schema": {"enum": ["avg", "min", "max", "count", "last"]}},
              {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 10000}}],
              "responses": {"200": {"description": "The series", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Series"}}}}, "400": {"$ref": "#/components/responses/BadRequest"}, "404": {"$ref": "#/components/responses/NotFound"}}}},
            "/alerts": {"get": {"summary": "Alerts, newest first (envmon alerts)", "parameters": [
              {"name": "active", "in": "query", "schema": {"type": "boolean"}},
              {"name": "since", "in": "query", "schema": {"type": "string"}},
              {"name": "severity", "in": "query", "schema": {"enum": ["info", "warning", "critical"]}},
              {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000}}],
              "responses": {"200": {"description": "Alerts", "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Alert"}}}}}, "400": {"$ref": "#/components/responses/BadRequest"}}}},
            "/alerts/{id}": {"get": {"summary": "One alert with its history (envmon alerts history)", "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}], "responses": {"200": {"description": "The alert", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/AlertWithHistory"}}}}, "404": {"$ref": "#/components/responses/NotFound"}}}},
            "/aqi": {"get": {"summary": "Hourly (stored by envmond) and daily VN_AQI per air station", "parameters": [{"$ref": "#/components/parameters/site"}, {"name": "days", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 31}}], "responses": {"200": {"description": "Stations", "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/AirStation"}}}}}, "404": {"$ref": "#/components/responses/NotFound"}}}},
            "/rejects": {"get": {"summary": "Rejected messages, newest first (envmon rejects)", "parameters": [
              {"name": "since", "in": "query", "schema": {"type": "string"}, "description": "Default: 24 h ago."},
              {"name": "reason", "in": "query", "schema": {"type": "string"}},
              {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000}}],
              "responses": {"200": {"description": "Rejects", "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Reject"}}}}}, "400": {"$ref": "#/components/responses/BadRequest"}}}},
            "/stats": {"get": {"summary": "Store totals and the daemon's figures (envmon stats), rejects of the last day, transmission backlog (envmon transmit status)", "responses": {"200": {"description": "Figures", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Stats"}}}}}}},
            "/live": {"get": {"summary": "What the console's pages poll: site states, latest values, active alerts", "responses": {"200": {"description": "Live snapshot", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Live"}}}}}}}
          },
          "components": {
            "parameters": {
              "site": {"name": "site", "in": "query", "schema": {"type": "string"}},
              "sensor": {"name": "sensor", "in": "query", "schema": {"type": "string"}}
            },
            "responses": {
              "NotFound": {"description": "Unknown site, sensor, series or alert", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
              "BadRequest": {"description": "A malformed or unknown parameter, named in `parameter`", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
            },
            "schemas": {
              "Time": {"type": "string", "pattern": "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z$"},
              "OptionalTime": {"oneOf": [{"$ref": "#/components/schemas/Time"}, {"type": "null"}]},
              "State": {"enum": ["unknown", "ok", "maintenance", "stale", "exceedance", "alert"]},
              "Error": {"type": "object", "required": ["error", "status"], "additionalProperties": false, "properties": {"error": {"type": "string"}, "status": {"type": "integer"}, "parameter": {"type": "string"}}},
              "Site": {"type": "object", "required": ["id", "name", "kind", "latitude", "longitude", "commune", "state", "sensors", "active_alerts"], "additionalProperties": false, "properties": {
                "id": {"type": "string"}, "name": {"type": "string"}, "kind": {"type": "string"}, "latitude": {"type": ["number", "null"]}, "longitude": {"type": ["number", "null"]}, "commune": {"type": ["string", "null"]}, "state": {"$ref": "#/components/schemas/State"}, "sensors": {"type": "array", "items": {"type": "string"}}, "active_alerts": {"type": "integer", "minimum": 0}}},
              "Sensor": {"type": "object", "required": ["sensor", "site", "metrics", "last_seen", "configured", "last_seq", "seq_missing", "seq_duplicates", "seq_restarts", "catch_up_readings"], "additionalProperties": false, "properties": {
                "sensor": {"type": "string"}, "site": {"type": ["string", "null"]}, "metrics": {"type": "array", "items": {"type": "string"}}, "last_seen": {"$ref": "#/components/schemas/OptionalTime"}, "configured": {"type": "boolean"}, "last_seq": {"type": ["integer", "null"]}, "seq_missing": {"type": "integer"}, "seq_duplicates": {"type": "integer"}, "seq_restarts": {"type": "integer"}, "catch_up_readings": {"type": "integer"}}},
              "Latest": {"type": "object", "required": ["site", "sensor", "metric", "value", "unit", "quality", "ts"], "properties": {
                "site": {"type": ["string", "null"]}, "sensor": {"type": "string"}, "metric": {"type": "string"}, "value": {"type": ["number", "null"]}, "unit": {"type": ["string", "null"]}, "quality": {"enum": [1, 2, 3, 4, 9]}, "ts": {"$ref": "#/components/schemas/Time"}, "age": {"type": "string"}, "value_text": {"type": "string"}}},
              "Reading": {"type": "object", "required": ["ts", "value", "quality", "flagged_by", "time_source", "device_status"], "additionalProperties": false, "properties": {
                "ts": {"$ref": "#/components/schemas/Time"}, "value": {"type": ["number", "null"]}, "quality": {"enum": [1, 2, 3, 4, 9]}, "flagged_by": {"type": "array", "items": {"type": "string"}}, "time_source": {"type": "string"}, "device_status": {"type": "string"}}},
              "Bucket": {"type": "object", "required": ["ts", "value", "count"], "additionalProperties": false, "properties": {"ts": {"$ref": "#/components/schemas/Time"}, "value": {"type": ["number", "null"]}, "count": {"type": "integer", "minimum": 0}}},
              "Series": {"type": "object", "required": ["sensor", "metric", "unit", "from", "to", "every", "truncated", "points"], "additionalProperties": false, "properties": {
                "sensor": {"type": "string"}, "metric": {"type": "string"}, "unit": {"type": "string"}, "from": {"$ref": "#/components/schemas/Time"}, "to": {"$ref": "#/components/schemas/Time"}, "every": {"enum": ["raw", "1m", "1h", "1d"]}, "agg": {"enum": ["avg", "min", "max", "count", "last"]}, "truncated": {"type": "boolean"},
                "points": {"type": "array", "maxItems": 10000, "items": {"oneOf": [{"$ref": "#/components/schemas/Bucket"}, {"$ref": "#/components/schemas/Reading"}]}}}},
              "Alert": {"type": "object", "required": ["id", "rule", "kind", "sensor", "site", "metric", "state", "severity", "value", "threshold", "unit", "basis", "raised_at", "resolved_at", "acknowledged_by", "acknowledged_at"], "properties": {
                "id": {"type": "string"}, "rule": {"type": "string"}, "kind": {"enum": ["above", "below", "outside", "rate", "no_data", "qc_fault", "aqi"]}, "sensor": {"type": "string"}, "site": {"type": "string"}, "metric": {"type": "string"}, "state": {"enum": ["inactive", "pending", "firing", "resolved", "flapping"]}, "severity": {"enum": ["info", "warning", "critical"]}, "value": {"type": ["number", "null"]}, "threshold": {"type": "number"}, "unit": {"type": "string"}, "basis": {"type": "string"}, "raised_at": {"$ref": "#/components/schemas/OptionalTime"}, "resolved_at": {"$ref": "#/components/schemas/OptionalTime"}, "acknowledged_by": {"type": ["string", "null"]}, "acknowledged_at": {"$ref": "#/components/schemas/OptionalTime"}, "raised_at_local": {"type": "string"}}},
              "AlertLogEntry": {"type": "object", "required": ["at", "notice", "from", "to", "severity", "value", "threshold", "by", "note", "text"], "additionalProperties": false, "properties": {
                "at": {"$ref": "#/components/schemas/Time"}, "notice": {"type": "string"}, "from": {"type": "string"}, "to": {"type": "string"}, "severity": {"type": "string"}, "value": {"type": ["number", "null"]}, "threshold": {"type": "number"}, "by": {"type": ["string", "null"]}, "note": {"type": ["string", "null"]}, "text": {"type": "string"}}},
              "AlertWithHistory": {"allOf": [{"$ref": "#/components/schemas/Alert"}, {"type": "object", "required": ["history"], "properties": {"history": {"type": "array", "items": {"$ref": "#/components/schemas/AlertLogEntry"}}}}]},
              "AQI": {"type": "object", "required": ["aqi", "category", "colour", "dominant"], "properties": {"aqi": {"type": "integer", "minimum": 0}, "category": {"type": "string"}, "colour": {"type": "string", "pattern": "^#[0-9A-Fa-f]{6}$"}, "dominant": {"type": ["string", "null"]}, "hour": {"$ref": "#/components/schemas/Time"}, "day": {"$ref": "#/components/schemas/Time"}}},
              "AirStation": {"type": "object", "required": ["sensor", "site", "hourly", "daily"], "additionalProperties": false, "properties": {"sensor": {"type": "string"}, "site": {"type": "string"}, "hourly": {"type": "array", "items": {"$ref": "#/components/schemas/AQI"}}, "daily": {"type": "array", "items": {"$ref": "#/components/schemas/AQI"}}}},
              "Reject": {"type": "object", "required": ["received_at", "reason", "topic", "detail", "payload"], "additionalProperties": false, "properties": {"received_at": {"$ref": "#/components/schemas/Time"}, "reason": {"type": "string"}, "topic": {"type": "string"}, "detail": {"type": "string"}, "payload": {"type": "string"}}},
              "Figure": {"type": "object", "required": ["name", "value"], "additionalProperties": false, "properties": {"name": {"type": "string"}, "value": {"type": ["number", "string"]}}},
              "OutboxStatus": {"type": "object", "required": ["target", "sent", "backlog", "oldest_waiting_seconds", "last_sent_at", "last_sent", "abandoned", "last_error", "last_attempt_at"], "additionalProperties": false, "properties": {"target": {"type": "string"}, "sent": {"type": "integer"}, "backlog": {"type": "integer"}, "oldest_waiting_seconds": {"type": ["integer", "null"]}, "last_sent_at": {"$ref": "#/components/schemas/OptionalTime"}, "last_sent": {"type": ["string", "null"]}, "abandoned": {"type": "integer"}, "last_error": {"type": ["string", "null"]}, "last_attempt_at": {"$ref": "#/components/schemas/OptionalTime"}}},
              "Stats": {"type": "object", "required": ["figures", "rejects_last_day", "transmission"], "additionalProperties": false, "properties": {"figures": {"type": "array", "items": {"$ref": "#/components/schemas/Figure"}}, "rejects_last_day": {"type": "object", "additionalProperties": {"type": "integer"}}, "transmission": {"type": "array", "items": {"$ref": "#/components/schemas/OutboxStatus"}}}},
              "Live": {"type": "object", "required": ["taken_at", "taken_at_ms", "taken_at_local", "sites", "latest", "alerts"], "additionalProperties": false, "properties": {"taken_at": {"$ref": "#/components/schemas/Time"}, "taken_at_ms": {"type": "integer"}, "taken_at_local": {"type": "string"}, "sites": {"type": "array", "items": {"type": "object", "required": ["id", "state"], "properties": {"id": {"type": "string"}, "state": {"$ref": "#/components/schemas/State"}}}}, "latest": {"type": "array", "items": {"$ref": "#/components/schemas/Latest"}}, "alerts": {"type": "array", "items": {"$ref": "#/components/schemas/Alert"}}}}
            }
          }
        }
        """#
}
