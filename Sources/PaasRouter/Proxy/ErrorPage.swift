import NIOHTTP1

/// The router's own small HTML pages (unknown host, no web processes, backend errors).
enum ErrorPage {
    static func unknownHost(_ host: String) -> String {
        page(title: "No such app", message: "There is no app at \(escape(host)).")
    }

    static func noWebProcesses(app: String) -> String {
        page(
            title: "Application unavailable",
            message: "No web processes are running for \(escape(app)). Run 'paas ps:scale web=1'.")
    }

    static func status(_ status: HTTPResponseStatus) -> String {
        let message =
            switch status.code {
            case 413: "The request body is too large."
            case 431: "The request headers are too large."
            case 502: "The app's web process failed to answer."
            case 504: "The app's web process did not answer in time."
            default: status.reasonPhrase
            }
        return page(title: "\(status.code) \(status.reasonPhrase)", message: message)
    }

    private static func page(title: String, message: String) -> String {
        """
        <!DOCTYPE html>
        <html><head><meta charset="utf-8"><title>\(title) | paas</title></head>
        <body style="font-family:sans-serif;margin:4em auto;max-width:40em">
        <h1>\(title)</h1><p>\(message)</p><hr><p><small>paas router</small></p>
        </body></html>

        """
    }

    private static func escape(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "&": escaped += "&amp;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
