"""A FastAPI app under uvicorn: JSON, path and query parameters, the forwarded scheme."""
from fastapi import FastAPI, Request

app = FastAPI()


@app.get("/items/{item_id}")
def item(item_id: int, q: str | None = None):
    return {"item_id": item_id, "q": q}


@app.get("/scheme")
def scheme(request: Request):
    return {"scheme": request.url.scheme}
