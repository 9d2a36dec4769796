"""Send the import's view counts and total to the counter service (POST /api/v1/seed)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path

from .model import ImportStop


def load_seed(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ImportStop(
            "chưa có tệp số liệu lượt xem", str(path), "chạy một lệnh invoke import-* trước"
        ) from None
    except ValueError as exc:
        raise ImportStop(f"tệp không phải JSON hợp lệ ({exc})", str(path)) from None
    if not isinstance(data, dict) or not isinstance(data.get("views", {}), dict):
        raise ImportStop('tệp phải có dạng {"total": N, "views": {...}}', str(path))
    return data


def send_seed(seed: dict, endpoint: str, token: str, timeout: float = 30) -> dict:
    """The service's answer; an ImportStop in Vietnamese for each way it can refuse."""
    if not token:
        raise ImportStop(
            "thiếu mã quản trị của bộ đếm",
            hint="đặt biến môi trường COUNTER_ADMIN_TOKEN (như khi chạy dịch vụ) hoặc --token",
        )
    request = urllib.request.Request(
        endpoint.rstrip("/") + "/seed",
        data=json.dumps(seed).encode("utf-8"),
        method="POST",
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.loads(response.read().decode("utf-8"))
    except urllib.error.HTTPError as exc:
        try:
            body = json.loads(exc.read().decode("utf-8"))
        except ValueError:
            body = {}
        if exc.code == 422:
            paths = ", ".join(body.get("paths", [])[:5])
            raise ImportStop(
                f"{body.get('count', '?')} địa chỉ chưa có trên cổng (ví dụ: {paths}); "
                "chưa nhập gì",
                endpoint,
                "dựng và triển khai cổng sau khi nhập bài (invoke build / deploy), rồi chạy lại",
            ) from None
        if exc.code in (401, 403):
            raise ImportStop(
                "bộ đếm từ chối mã quản trị", endpoint, "kiểm tra COUNTER_ADMIN_TOKEN"
            ) from None
        raise ImportStop(
            f"bộ đếm trả lời lỗi {exc.code}: {body.get('message', '')}", endpoint
        ) from None
    except (urllib.error.URLError, OSError) as exc:
        raise ImportStop(
            f"không kết nối được bộ đếm ({getattr(exc, 'reason', exc)})",
            endpoint,
            "kiểm tra dịch vụ đang chạy (invoke counter) và địa chỉ --endpoint",
        ) from None
