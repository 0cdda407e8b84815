package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	envparse "github.com/caarlos0/env/v11"

	"github.com/imgprep/imgprep/model"
)

// modelsEnv is the environment that adds models: IMGPREP_MODELS names a
// models file, as --models does.
type modelsEnv struct {
	File string `env:"IMGPREP_MODELS"`
}

// modelFlags are the flags that choose a model and add models.
type modelFlags struct {
	name string // --model
	like string // --like: send name with this known model's limits
	file string // --models
}

func (f *modelFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.name, "model", "", "target model (see 'imgprep models'); required")
	f.registerFile(fs)
	fs.StringVar(&f.like, "like", "", "with --model NAME: send NAME with the limits of this known model (a relay's own model name)")
}

func (f *modelFlags) registerFile(fs *flag.FlagSet) {
	fs.StringVar(&f.file, "models", "", "JSON file of model profiles to add or override (as 'imgprep models --json' prints; default $IMGPREP_MODELS)")
}

// load reads the models file named by --models, else by IMGPREP_MODELS.
func (f *modelFlags) load(env *cliEnv) error {
	file := f.file
	if file == "" {
		var e modelsEnv
		if err := envparse.ParseWithOptions(&e, envparse.Options{Environment: map[string]string{"IMGPREP_MODELS": strings.TrimSpace(env.getenv("IMGPREP_MODELS"))}}); err != nil {
			return fmt.Errorf("IMGPREP_MODELS: %w", err)
		}
		file = e.File
	}
	if file == "" {
		return nil
	}
	fh, err := os.Open(file)
	if err != nil {
		return fmt.Errorf("models file %s: %w", file, errors.Unwrap(err))
	}
	defer fh.Close()
	if err := model.Load(fh); err != nil {
		var fe *model.FieldError
		if errors.As(err, &fe) {
			return fmt.Errorf("models file %s: %s%s", file, fe.Where(), fe.Reason)
		}
		return fmt.Errorf("models file %s: %w", file, err)
	}
	return nil
}

// profile loads the models file and returns the chosen model's profile;
// with --like it registers --model as a copy of that model for this run.
func (f *modelFlags) profile(env *cliEnv) (*model.Profile, error) {
	if err := f.load(env); err != nil {
		return nil, err
	}
	if f.name == "" {
		return nil, fmt.Errorf("--model is required (see 'imgprep models')")
	}
	if f.like == "" {
		p, err := model.Lookup(f.name)
		var ue *model.UnknownError
		if errors.As(err, &ue) {
			return nil, fmt.Errorf("unknown model %q (known: %s); for a relay's own name add --like KNOWN, or describe it in a --models file", ue.Name, strings.Join(ue.Known, ", "))
		}
		return p, err
	}
	p, err := model.Like(f.name, f.like)
	if err != nil {
		return nil, fmt.Errorf("--like %s: %w", f.like, err)
	}
	if err := model.Set(p); err != nil {
		return nil, fmt.Errorf("--model %s --like %s: %w", f.name, f.like, err)
	}
	return p, nil
}
