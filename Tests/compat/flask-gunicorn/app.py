"""A Flask app served by gunicorn, as Heroku's getting-started guides deploy it."""
import os

from flask import Flask, jsonify, request

app = Flask(__name__)


@app.get("/")
def index():
    return "Hello from Flask on %s\n" % os.environ.get("DYNO", "?")


@app.post("/echo")
def echo():
    return jsonify(received=request.get_json(force=True), scheme=request.headers.get("X-Forwarded-Proto"))
