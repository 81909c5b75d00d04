package main

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"golang.org/x/sync/errgroup"
)

// component is a long-running part of the process. run returns once ctx
// ends and the component has stopped, or earlier with the error that
// stopped it.
type component struct {
	name string
	run  func(ctx context.Context) error
}

// stage is a set of components that stop together. then, if set, runs
// once every component of the stage has returned and before the next
// stage is told to stop: what has to happen between two stages (the
// sends accepted requests started, the leases this process holds). Its
// context carries ctx's values but not its end: the process is stopping.
type stage struct {
	components []component
	then       func(ctx context.Context)
}

// runStages runs every component of every stage under one errgroup until
// ctx ends or a component fails, whichever comes first. Then it stops the
// stages one after the other, in order, each only once the one before has
// returned: the front door closes before the work behind it is told to
// stop. stopping hears why the process stops (ctx's end, or the failure).
//
// The error is the first failure, named after its component; nil when ctx
// ended and every component stopped cleanly. A component that returns
// before it is told to stop has failed, even without an error: the
// process would otherwise go on without it.
func runStages(ctx context.Context, stages []stage, stopping func(cause error)) error {
	g, failed := errgroup.WithContext(ctx)
	stops := make([]func(), len(stages))
	for i, s := range stages {
		// A stage's context does not come from ctx: it ends only when
		// the stages before it have stopped.
		sctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
		var running sync.WaitGroup
		for _, c := range s.components {
			running.Add(1)
			g.Go(func() error {
				defer running.Done()
				return runComponent(sctx, c)
			})
		}
		stops[i] = func() {
			cancel()
			running.Wait()
			if s.then != nil {
				s.then(context.WithoutCancel(ctx))
			}
		}
	}
	g.Go(func() error {
		<-failed.Done()
		stopping(context.Cause(failed))
		for _, stop := range stops {
			stop()
		}
		return nil
	})
	return g.Wait()
}

func runComponent(ctx context.Context, c component) error {
	err := c.run(ctx)
	if err == nil && ctx.Err() == nil {
		err = errors.New("stopped before it was told to")
	}
	if err != nil {
		return fmt.Errorf("%s: %w", c.name, err)
	}
	return nil
}
