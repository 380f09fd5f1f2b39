// modern uses Go 1.22's range over an integer, so it builds only on a stack whose Go is that new.
package main

import (
	"fmt"
	"log"
	"net/http"
	"os"
	"runtime"
)

func main() {
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		total := 0
		for i := range 4 {
			total += i
		}
		fmt.Fprintf(w, "sum=%d go=%s\n", total, runtime.Version())
	})
	log.Fatal(http.ListenAndServe(":"+os.Getenv("PORT"), nil))
}
