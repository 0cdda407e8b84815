package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/imgprep/imgprep/model"
)

func runModels(_ context.Context, env *cliEnv, args []string) int {
	fs := newFlagSet("models", env.stderr)
	asJSON := fs.Bool("json", false, "print the profiles as JSON, in the format --models reads")
	var mf modelFlags
	mf.registerFile(fs)
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return flagErr(err)
	}
	if len(pos) > 0 {
		return usageErr(env, "models", "takes no arguments, got %q", pos[0])
	}
	if err := mf.load(env); err != nil {
		fmt.Fprintf(env.stderr, "imgprep: %v\n", err)
		return exitUsage
	}
	profiles := model.Profiles()
	if *asJSON {
		if err := model.Encode(env.stdout, profiles); err != nil {
			fmt.Fprintf(env.stderr, "imgprep: writing JSON: %v\n", err)
			return exitRejected
		}
		return exitOK
	}
	tw := tabwriter.NewWriter(env.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "MODEL\tALIASES\tFORMATS\tMAX BYTES\tIMAGES\tGEOMETRY\tALPHA\tMASK\tNOTES")
	for _, p := range profiles {
		geo := "any"
		switch {
		case p.Square:
			geo = fmt.Sprintf("square %s", joinInts(p.SquareSides, "/"))
		case p.MaxPixels > 0:
			geo = fmt.Sprintf("<= %.0f MP", float64(p.MaxPixels)/1e6)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t< %s\t%d\t%s\t%s\t%s\t%s\n", p.Name, dash(strings.Join(p.Aliases, ",")),
			formats(p), humanBytes(p.MaxBytes), p.MaxImages, geo, yesNo(p.RequireAlpha, "required", "-"),
			yesNo(p.Mask, "yes", "no"), p.Notes)
	}
	tw.Flush()
	return exitOK
}

func formats(p *model.Profile) string {
	return strings.ReplaceAll(model.FormatList(p.Formats), " ", "")
}

func joinInts(v []int, sep string) string {
	s := make([]string, len(v))
	for i, n := range v {
		s[i] = fmt.Sprint(n)
	}
	return strings.Join(s, sep)
}

func humanBytes(n int64) string {
	switch {
	case n >= 1_000_000:
		return fmt.Sprintf("%g MB", float64(n)/1e6)
	case n >= 1000:
		return fmt.Sprintf("%g kB", float64(n)/1e3)
	}
	return fmt.Sprintf("%d B", n)
}

func yesNo(b bool, yes, no string) string {
	if b {
		return yes
	}
	return no
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func writeJSON(env *cliEnv, v any) int {
	enc := json.NewEncoder(env.stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		fmt.Fprintf(env.stderr, "imgprep: writing JSON: %v\n", err)
		return exitRejected
	}
	return exitOK
}
