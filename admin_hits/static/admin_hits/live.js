/* Refreshes the report's live figures in place: every element with data-admin-hits-live
   polls that JSON URL every data-interval seconds and says how long ago it last succeeded.
   The page works without this file; it only keeps today's figures current. */
'use strict';
{
    const format = (template, seconds) => template.replace('%(seconds)s', String(seconds));

    function watch(card) {
        const url = card.dataset.adminHitsLive;
        const interval = Math.max(1, Number(card.dataset.interval) || 5) * 1000;
        const value = card.querySelector('[data-live-value]');
        const age = card.querySelector('[data-live-age]');
        let updated = null;
        let down = false;

        function showAge() {
            if (down) {
                age.textContent = card.dataset.downText;
            } else if (updated !== null) {
                const seconds = Math.max(0, Math.round((Date.now() - updated) / 1000));
                age.textContent = format(card.dataset.ageText, seconds);
            }
        }

        async function refresh() {
            if (document.hidden) {
                return;  // no polling from background tabs
            }
            try {
                const response = await fetch(url, {
                    credentials: 'same-origin',
                    headers: {'Accept': 'application/json'},
                    cache: 'no-store',
                });
                if (!response.ok) {
                    throw new Error(String(response.status));
                }
                const data = await response.json();
                down = !data.available;
                if (data.available) {
                    value.textContent = data.text;
                    const health = document.querySelector('[data-live-health]');
                    if (health && data.health) {
                        health.textContent = data.health;
                        health.classList.toggle('errornote', data.health_warning);
                        health.classList.toggle('quiet', !data.health_warning);
                    }
                    updated = Date.now();
                    card.dataset.liveViews = String(data.views);
                }
            } catch (error) {
                down = true;
            }
            card.classList.toggle('down', down);
            showAge();
        }

        refresh();
        setInterval(refresh, interval);
        setInterval(showAge, 1000);
        document.addEventListener('visibilitychange', () => {
            if (!document.hidden) {
                refresh();
            }
        });
    }

    function start() {
        document.querySelectorAll('[data-admin-hits-live]').forEach(watch);
    }

    if (document.readyState === 'loading') {
        document.addEventListener('DOMContentLoaded', start);
    } else {
        start();
    }
}
