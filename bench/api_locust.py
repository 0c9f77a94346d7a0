"""The locust users of bench/api.py: one scenario a run, chosen and fed by environment
variables the bench sets (BENCH_SCENARIO, BENCH_DATA: a JSON file)."""

from __future__ import annotations

import json
import os
import random

from locust import FastHttpUser, constant, task

DATA = json.loads(open(os.environ["BENCH_DATA"]).read())
SCENARIO = os.environ["BENCH_SCENARIO"]


class Client(FastHttpUser):
    wait_time = constant(0)

    def on_start(self):
        self.feed_cursor = None

    def _key(self, name: str) -> dict:
        return {"Authorization": f"Bearer {DATA['keys'][name]}"}

    @task
    def one(self):
        rng = random
        if SCENARIO == "api_search":
            params = rng.choice(DATA["searches"])
            self.client.get("/api/jobs", params=params, headers=self._key("partner"), name=SCENARIO)
        elif SCENARIO == "page_search":
            params = rng.choice(DATA["board_searches"])
            self.client.get("/board/", params=params, name=SCENARIO)
        elif SCENARIO == "api_feed":
            params = {"limit": 100}
            if self.feed_cursor:
                params["cursor"] = self.feed_cursor
            with self.client.get(
                "/api/feed/snapshot",
                params=params,
                headers=self._key("partner"),
                name=SCENARIO,
                catch_response=True,
            ) as response:
                body = response.json() if response.status_code == 200 else {}
                self.feed_cursor = body.get("next")
                if response.status_code != 200:
                    response.failure(f"{response.status_code}")
        elif SCENARIO == "page_feed":
            page = rng.randint(1, DATA["board_pages"])
            self.client.get("/board/", params={"page": page}, name=SCENARIO)
        elif SCENARIO == "api_match":
            person = rng.choice(DATA["people"])
            self.client.get(
                f"/api/people/{person}/jobs", headers=self._key("county"), name=SCENARIO
            )
        elif SCENARIO == "page_match":
            cookie = rng.choice(DATA["sessions"])
            self.client.get("/my/jobs/", headers={"Cookie": f"sessionid={cookie}"}, name=SCENARIO)
