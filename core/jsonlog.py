"""Log records as JSON lines (LOG_FORMAT=json, the default in production): one object a line on
stdout, for whatever collects the logs (journald, Docker, Loki, ELK).

Every line has `time` (UTC, ISO 8601), `level`, `logger` and `message`; an exception adds
`exception` (the traceback as text); anything passed as `extra={…}` is added under its own key.
"""

import json
import logging
from datetime import UTC, datetime

# The attributes every LogRecord has: what is not among them came in through `extra`.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                line[key] = value
        return json.dumps(line, ensure_ascii=False, default=str)
