package uploadtest

import (
	"net/http"
	"strconv"
	"time"
)

// task is an async edit. Its result is computed at submission; polling
// only advances its status.
type task struct {
	polls int
	resp  editResponse
}

// taskSubmitted is the answer to an async submission.
type taskSubmitted struct {
	TaskID string `json:"task_id"`
	Status string `json:"status"`
}

// taskStatus is the answer to GET /v1/tasks/{id}.
type taskStatus struct {
	TaskID   string      `json:"task_id"`
	Status   string      `json:"status"` // queued, processing, succeeded, failed
	Progress int         `json:"progress"`
	Created  int64       `json:"created,omitempty"`
	Data     []imageData `json:"data,omitempty"`
	Usage    *usage      `json:"usage,omitempty"`
	Error    *taskError  `json:"error,omitempty"`
}

type taskError struct {
	Message string `json:"message"`
	Code    string `json:"code"`
}

// submitTask stores the finished result behind a new task id.
func (h *Handler) submitTask(j *job, res *result, root string) taskSubmitted {
	resp := h.response(j, res, root)
	h.mu.Lock()
	defer h.mu.Unlock()
	h.seq++
	id := "task_" + strconv.FormatUint(h.seq, 36) + strconv.FormatInt(time.Now().UnixNano()%1e9, 36)
	h.tasks[id] = &task{resp: resp}
	return taskSubmitted{TaskID: id, Status: "queued"}
}

// handleTask reports queued, then processing, for Options.TaskSteps polls,
// then succeeded with the data (or failed with Options.FailTask).
func (h *Handler) handleTask(w http.ResponseWriter, r *http.Request) {
	if !h.authorized(r) {
		writeError(w, errAuth())
		return
	}
	id := r.PathValue("id")
	h.mu.Lock()
	t, ok := h.tasks[id]
	var st taskStatus
	if ok {
		t.polls++
		st = h.taskState(id, t)
	}
	h.mu.Unlock()
	if !ok {
		writeError(w, &apiError{Status: http.StatusNotFound, Type: "invalid_request_error",
			Code: "task_not_found", Param: "task_id", Message: "No task found with id '" + id + "'."})
		return
	}
	writeJSON(w, http.StatusOK, st)
}

// taskState is the task's state at its current poll count (h.mu held).
func (h *Handler) taskState(id string, t *task) taskStatus {
	steps := h.opts.TaskSteps
	st := taskStatus{TaskID: id}
	switch {
	case t.polls <= steps:
		st.Status, st.Progress = "processing", (t.polls-1)*100/steps
		if t.polls == 1 {
			st.Status = "queued"
		}
	case h.opts.FailTask != "":
		st.Status, st.Progress = "failed", 100
		st.Error = &taskError{Message: h.opts.FailTask, Code: "task_failed"}
	default:
		st.Status, st.Progress = "succeeded", 100
		st.Created, st.Data, st.Usage = t.resp.Created, t.resp.Data, t.resp.Usage
	}
	return st
}
