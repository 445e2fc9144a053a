/// The console's stylesheet and script, compiled in: the server ships everything a page needs,
/// so the island LAN needs no internet and the install is one binary.
enum StaticAssets {
    static let stylesheet = """
        :root{--alert:#c62828;--exceedance:#ef6c00;--stale:#6d6d6d;--maintenance:#1565c0;--ok:#2e7d32;--unknown:#b0b0b0;
        font-family:"DejaVu Sans","Noto Sans",Arial,sans-serif;color:#1b1b1b;background:#f6f7f8}
        body{margin:0}header{display:flex;flex-wrap:wrap;gap:1rem;align-items:center;background:#0b4f6c;color:#fff;
        padding:.5rem 1rem}header a{color:#fff;text-decoration:none}header nav a{margin-right:1rem;opacity:.85}
        header nav a.active{opacity:1;border-bottom:2px solid #fff}.brand{font-weight:bold;font-size:1.15rem}
        .who{margin-left:auto}.who button{background:none;border:1px solid #fff;color:#fff;border-radius:3px;cursor:pointer}
        main{padding:1rem;max-width:1400px;margin:auto}footer{padding:.5rem 1rem;color:#555;font-size:.85rem}
        h1{font-size:1.4rem;margin:.3rem 0 1rem}h2{font-size:1.1rem}table{border-collapse:collapse;background:#fff;
        margin-bottom:1rem}th,td{border-bottom:1px solid #e3e3e3;padding:.3rem .6rem;text-align:left;vertical-align:middle}
        th{background:#eef2f4;font-weight:600}td.num{text-align:right;font-variant-numeric:tabular-nums}
        .overview{display:grid;grid-template-columns:minmax(300px,3fr) minmax(260px,2fr);gap:1rem}
        @media (max-width:800px){.overview{grid-template-columns:1fr}}
        figure{margin:0}figure.map svg{width:100%;height:auto;background:#dcecf5;border-radius:6px}
        figure.chart svg{width:100%;height:auto;background:#fff}figcaption{font-size:.85rem;color:#555}
        .badge{display:inline-block;padding:.1rem .5rem;border-radius:10px;color:#fff;font-size:.85rem}
        .state-alert.badge,.badge.state-alert{background:var(--alert)}.badge.state-exceedance{background:var(--exceedance)}
        .badge.state-stale{background:var(--stale)}.badge.state-maintenance{background:var(--maintenance)}
        .badge.state-ok{background:var(--ok)}.badge.state-unknown{background:var(--unknown);color:#222}
        .state-alert>circle,rect.state-alert{fill:var(--alert)}.state-exceedance>circle,rect.state-exceedance{fill:var(--exceedance)}
        .state-stale>circle,rect.state-stale{fill:var(--stale)}.state-maintenance>circle,rect.state-maintenance{fill:var(--maintenance)}
        .state-ok>circle,rect.state-ok{fill:var(--ok)}.state-unknown>circle,rect.state-unknown{fill:var(--unknown)}
        p.note{padding:.3rem .6rem;border-left:4px solid}p.note.state-maintenance{border-color:var(--maintenance)}
        p.note.state-stale{border-color:var(--stale)}tr.exceeded td{background:#fff3e0}b.state-exceedance{color:var(--exceedance)}
        tr.severity-critical td:first-child{color:var(--alert);font-weight:bold}
        tr.severity-warning td:first-child{color:var(--exceedance);font-weight:bold}
        tr.fresh td{animation:fresh 3s ease-out}@keyframes fresh{from{background:#fff59d}to{background:#fff}}
        form.inline{display:inline}form.ack{display:flex;gap:.3rem}form.ack input[type=text]{width:10rem}
        form.login{display:flex;flex-direction:column;gap:.6rem;max-width:20rem}
        .flash{padding:.5rem;border-radius:4px}.flash.applied{background:#e8f5e9}.flash.queued{background:#e3f2fd}
        .flash.refused{background:#ffebee}.empty{color:#666}.error{color:var(--alert)}
        td.aqi{font-weight:bold;text-align:center}.aqi-badge{display:inline-block;min-width:3rem;text-align:center;
        font-size:1.5rem;font-weight:bold;border-radius:6px;padding:.2rem .5rem}
        .air-station{display:inline-block;vertical-align:top;margin-right:2rem}.health{display:flex;flex-wrap:wrap;gap:2rem}
        svg.sparkline{width:120px;height:28px}.ranges{margin-bottom:.5rem}
        #live-lost{color:var(--alert);margin-left:1rem}
        """

    /// Polls `/api/v1/live` every three seconds (the snapshot is at most a second old, so a page
    /// is at most about four seconds behind the database) and updates states, values and the
    /// active alerts in place. No framework: it must run from the box with no network.
    static let script = """
        (function () {
          'use strict';
          var words = JSON.parse((document.getElementById('console-words') || {}).textContent || '{}');
          var lost = 0;
          function setText(el, text) { if (el && el.textContent !== text) { el.textContent = text; } }
          function setState(el, state) {
            var classes = (el.getAttribute('class') || '').split(/\\s+/).filter(function (c) {
              return c && c.indexOf('state-') !== 0;
            });
            classes.push('state-' + state);
            el.setAttribute('class', classes.join(' '));
          }
          function each(selector, fn) { Array.prototype.forEach.call(document.querySelectorAll(selector), fn); }
          function byAttribute(name, value) {
            return Array.prototype.filter.call(document.querySelectorAll('[' + name + ']'), function (el) {
              return el.getAttribute(name) === value;
            });
          }
          function cell(row, text, className) {
            var td = document.createElement('td');
            if (className) { td.className = className; }
            td.textContent = text;
            row.appendChild(td);
            return td;
          }
          function alertRow(alert, withForm) {
            var row = document.createElement('tr');
            row.className = 'alert fresh severity-' + alert.severity;
            row.setAttribute('data-alert-id', alert.id);
            cell(row, alert.severity);
            cell(row, alert.state);
            var rule = cell(row, '');
            var link = document.createElement('a');
            link.href = '/alerts/' + encodeURIComponent(alert.id);
            link.textContent = alert.rule;
            rule.appendChild(link);
            cell(row, alert.site);
            cell(row, alert.sensor);
            cell(row, alert.value === null ? '–' : String(alert.value), 'num');
            cell(row, String(alert.threshold), 'num');
            cell(row, alert.raised_at_local);
            cell(row, alert.acknowledged_by || '–');
            if (withForm !== null) {
              var td = cell(row, '');
              var template = document.getElementById('ack-template');
              if (template && !alert.acknowledged_by) {
                var form = template.content.firstElementChild.cloneNode(true);
                form.querySelector('input[name=alert_id]').value = alert.id;
                td.appendChild(form);
              } else if (!alert.acknowledged_by && words.login_to_ack) {
                var login = document.createElement('a');
                login.href = '/login?next=/alerts';
                login.textContent = words.login_to_ack;
                td.appendChild(login);
              }
            }
            return row;
          }
          function updateAlerts(alerts) {
            var table = document.getElementById('active-alerts');
            if (!table) { return; }
            var site = table.getAttribute('data-site-filter');
            var forms = table.getAttribute('data-forms');
            var hasFormColumn = table.querySelectorAll('thead th').length > 9;
            var body = table.tBodies[0];
            var wanted = {};
            alerts.forEach(function (alert) {
              if (site && alert.site !== site) { return; }
              wanted[alert.id] = true;
              var existing = Array.prototype.filter.call(body.rows, function (row) {
                return row.getAttribute('data-alert-id') === alert.id;
              })[0];
              if (!existing) {
                body.insertBefore(alertRow(alert, hasFormColumn ? forms : null), body.firstChild);
              } else {
                setText(existing.cells[1], alert.state);
                setText(existing.cells[8], alert.acknowledged_by || '–');
              }
            });
            Array.prototype.slice.call(body.rows).forEach(function (row) {
              if (!wanted[row.getAttribute('data-alert-id')]) { body.removeChild(row); }
            });
            var empty = document.getElementById('no-active-alerts');
            if (empty) { empty.hidden = body.rows.length > 0; }
          }
          function apply(live) {
            live.sites.forEach(function (site) {
              byAttribute('data-site', site.id).forEach(function (el) {
                if (el.tagName.toLowerCase() === 'g') { setState(el, site.state); }
              });
              byAttribute('data-state-of', site.id).forEach(function (el) {
                setState(el, site.state);
                setText(el, (words.states || {})[site.state] || site.state);
              });
            });
            live.latest.forEach(function (value) {
              var key = value.sensor + '|' + value.metric;
              byAttribute('data-value-of', key).forEach(function (el) { setText(el, value.value_text); });
              byAttribute('data-age-of', key).forEach(function (el) { setText(el, value.age); });
              byAttribute('data-quality-of', key).forEach(function (el) {
                setText(el, (words.quality || {})[String(value.quality)] || String(value.quality));
              });
            });
            updateAlerts(live.alerts);
            var status = document.getElementById('live-status');
            if (status) {
              status.setAttribute('data-updated', String(live.taken_at_ms));
              setText(status, (words.updated || '') + ' ' + live.taken_at_local);
            }
          }
          function poll() {
            var request = new XMLHttpRequest();
            request.open('GET', '/api/v1/live');
            request.timeout = 8000;
            request.onload = function () {
              if (request.status === 200) {
                lost = 0;
                document.getElementById('live-lost').hidden = true;
                apply(JSON.parse(request.responseText));
              } else { failed(); }
              setTimeout(poll, 3000);
            };
            request.onerror = request.ontimeout = function () { failed(); setTimeout(poll, 3000); };
            request.send();
          }
          function failed() {
            lost += 1;
            if (lost >= 2) { var el = document.getElementById('live-lost'); if (el) { el.hidden = false; } }
          }
          if (document.getElementById('live-status')) { setTimeout(poll, 3000); }
        })();
        """
}
