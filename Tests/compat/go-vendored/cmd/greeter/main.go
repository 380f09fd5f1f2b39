// greeter serves a greeting made by its vendored dependency on $PORT.
package main

import (
	"fmt"
	"log"
	"net/http"
	"os"

	"example.com/compat/greeting"
)

func main() {
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		name := r.URL.Query().Get("name")
		if name == "" {
			name = "world"
		}
		fmt.Fprintln(w, greeting.For(name))
	})
	log.Printf("listening on :%s", os.Getenv("PORT"))
	log.Fatal(http.ListenAndServe(":"+os.Getenv("PORT"), nil))
}
